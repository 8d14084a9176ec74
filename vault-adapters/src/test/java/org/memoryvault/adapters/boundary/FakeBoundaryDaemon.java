package org.memoryvault.adapters.boundary;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A test peer that speaks the boundary daemon's socket protocol as shared/reference/boundary-daemon-protocol.md
 * states it: a real AF_UNIX server (socket file 0600), one request per connection read with a single
 * read, one JSON reply without a trailing newline, then close. It keeps a mode, a token table with
 * capabilities, and records every request. On demand it misbehaves (hangs, half replies, garbage,
 * huge replies, closes at once, answers late) or sends a canned reply verbatim.
 */
final class FakeBoundaryDaemon implements AutoCloseable {
    /** The daemon's modes, in order; LOCKDOWN refuses everything. */
    enum Mode { OPEN, RESTRICTED, TRUSTED, AIRGAP, COLDROOM, LOCKDOWN }

    enum Capability { CHECK_RECALL, SET_MODE }

    enum Misbehaviour { NONE, HANG, HALF_REPLY, GARBAGE, HUGE_REPLY, CLOSE_AT_ONCE, SLOW_REPLY }

    /** The class table: the mode each memory class 0..5 requires. */
    static final List<Mode> REQUIRED_MODE = List.of(Mode.OPEN, Mode.OPEN, Mode.RESTRICTED, Mode.TRUSTED, Mode.AIRGAP, Mode.COLDROOM);

    private record Token(Set<Capability> capabilities, boolean expired) {}

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int MAX_REQUEST = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Mode mode = Mode.OPEN;
    private volatile Misbehaviour misbehaviour = Misbehaviour.NONE;
    private volatile Duration replyDelay = Duration.ofSeconds(2);
    private volatile @Nullable String canned;

    private FakeBoundaryDaemon(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "fake-boundary-daemon");
        this.acceptor.setDaemon(true);
    }

    /** Binds {@code dir/boundary.sock}, makes it 0600 and starts serving. */
    static FakeBoundaryDaemon start(Path dir) throws IOException {
        Path socket = dir.resolve("boundary.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        FakeBoundaryDaemon daemon = new FakeBoundaryDaemon(socket, server);
        daemon.acceptor.start();
        return daemon;
    }

    Path socket() { return socket; }

    void setMode(Mode m) {
        mode = m;
        lockdownBySetMode = false;
    }

    /**
     * Lockdown as the real daemon shows it when an operator set it with {@code set_mode}: recalls
     * are refused as "Recall denied: requires X mode, currently in LOCKDOWN", and
     * {@code status.lockdown} stays null (only the mode says it).
     */
    void lockdownBySetMode() {
        mode = Mode.LOCKDOWN;
        lockdownBySetMode = true;
    }

    private volatile boolean lockdownBySetMode;

    Mode mode() { return mode; }

    /** Registers a fresh, well-formed token with these capabilities and returns it. */
    String issueToken(Capability... capabilities) {
        String t = newTokenText();
        tokens.put(t, new Token(capabilities.length == 0 ? Set.of() : EnumSet.of(capabilities[0], capabilities), false));
        return t;
    }

    String issueExpiredToken() {
        String t = newTokenText();
        tokens.put(t, new Token(EnumSet.allOf(Capability.class), true));
        return t;
    }

    static String newTokenText() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "bd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    void misbehave(Misbehaviour m) { misbehaviour = m; }

    /** How long {@link Misbehaviour#SLOW_REPLY} waits before answering. */
    void replyDelay(Duration d) { replyDelay = d; }

    /** From now on every connection gets exactly these bytes (UTF-8) as the reply; null returns to the protocol. */
    void replyVerbatim(@Nullable String reply) { canned = reply; }

    /** Every request received, as text, in order. */
    List<String> requests() { return List.copyOf(requests); }

    /** How many connections were accepted. */
    int connections() { return connections.get(); }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;                              // closed
            }
            connections.incrementAndGet();
            open.add(c);
            Thread handler = new Thread(() -> serve(c), "fake-boundary-daemon-conn");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            Misbehaviour m = misbehaviour;
            if (m == Misbehaviour.CLOSE_AT_ONCE) return;
            ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
            int n = c.read(in);                      // the daemon reads one request with one recv
            if (n <= 0) return;
            String request = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            requests.add(request);
            String cannedReply = canned;
            String reply = cannedReply != null ? cannedReply : respond(request);
            switch (m) {
                case HANG -> closing.await();
                case HALF_REPLY -> write(c, reply.substring(0, reply.length() / 2));
                case GARBAGE -> c.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, '<', 'h', 't', 'm', 'l', '>', (byte) 0xc3}));
                case HUGE_REPLY -> write(c, hugeReply());
                case SLOW_REPLY -> {
                    if (!closing.await(replyDelay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) write(c, reply);
                }
                default -> write(c, reply);
            }
        } catch (IOException e) {
            // the client hung up first (timeout, oversized reply); nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(c);
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) c.write(out);
    }

    // ---- the protocol ----------------------------------------------------------------------------------------

    String respond(String request) {
        JsonNode root;
        try {
            root = JSON.readTree(request);
        } catch (IOException e) {
            return "{\"error\": \"Invalid JSON\"}";
        }
        if (root == null || !root.isObject()) return "{\"error\": \"Internal server error\"}";
        String command = root.path("command").asText("");
        if (command.equals("status")) return status();
        JsonNode tokenNode = root.get("token");
        if (tokenNode == null || tokenNode.isNull() || (tokenNode.isTextual() && tokenNode.textValue().isEmpty())) {
            return authError("No authentication token provided");
        }
        if (!tokenNode.isTextual() || !tokenNode.textValue().matches("bd_[A-Za-z0-9_-]{43}")) {
            return authError("Invalid token format");
        }
        Token token = tokens.get(tokenNode.textValue());
        if (token == null) return authError("Token not found");
        if (token.expired()) return authError("Token has expired");
        JsonNode params = root.path("params");
        switch (command) {
            case "check_recall":
                if (!token.capabilities().contains(Capability.CHECK_RECALL)) return authError("Token lacks capability: check_recall");
                return checkRecall(params);
            case "set_mode":
                if (!token.capabilities().contains(Capability.SET_MODE)) return authError("Token lacks capability: set_mode");
                return setMode(params);
            default:
                return authError("Unknown command: " + command);
        }
    }

    private String checkRecall(JsonNode params) {
        JsonNode mc = params.get("memory_class");
        if (mc == null || mc.isNull()) return failure("memory_class parameter required");
        if (!mc.isIntegralNumber() || !mc.canConvertToInt() || mc.intValue() < 0 || mc.intValue() > 5) {
            return failure("Invalid memory_class: " + mc.asText() + " is not a valid MemoryClass");
        }
        int cls = mc.intValue();
        Mode now = mode;
        Mode required = REQUIRED_MODE.get(cls);
        boolean permitted;
        String reason;
        if (now == Mode.LOCKDOWN && lockdownBySetMode) {
            permitted = false;
            reason = "Recall denied: requires " + required + " mode, currently in LOCKDOWN";
        } else if (now == Mode.LOCKDOWN) {
            permitted = false;
            reason = "System in LOCKDOWN mode";
        } else if (now.compareTo(required) >= 0) {
            permitted = true;
            reason = "Recall permitted";
        } else {
            permitted = false;
            reason = "Recall denied: requires " + required + " mode, currently in " + now;
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("success", true).put("permitted", permitted).put("reason", reason).put("memory_class", cls);
        reply.putObject("rate_limit").put("limit", 100).put("remaining", 99).put("window_seconds", 60);
        return reply.toString();
    }

    private String setMode(JsonNode params) {
        String wanted = params.path("mode").asText("").toUpperCase(Locale.ROOT);
        String operator = params.path("operator").asText("human");
        if (!operator.equals("human") && !operator.equals("system")) return failure("Invalid operator: " + operator);
        for (Mode m : Mode.values()) {
            if (m.name().equals(wanted)) {
                Mode old = mode;
                mode = m;
                ObjectNode reply = JSON.createObjectNode();
                reply.put("success", true).put("old_mode", old.name().toLowerCase(Locale.ROOT))
                        .put("new_mode", m.name().toLowerCase(Locale.ROOT));
                return reply.toString();
            }
        }
        return failure("Invalid mode: " + params.path("mode").asText(""));
    }

    private String status() {
        Mode now = mode;
        ObjectNode reply = JSON.createObjectNode();
        reply.put("success", true);
        ObjectNode status = reply.putObject("status");
        status.putObject("boundary_state").put("mode", now.name().toLowerCase(Locale.ROOT))
                .put("network", now.compareTo(Mode.AIRGAP) >= 0 ? "offline" : "online");
        if (now == Mode.LOCKDOWN && !lockdownBySetMode) status.putObject("lockdown").put("reason", "test lockdown");
        else status.putNull("lockdown");
        return reply.toString();
    }

    private static String failure(String error) {
        ObjectNode reply = JSON.createObjectNode();
        return reply.put("success", false).put("error", error).toString();
    }

    private static String authError(String why) {
        ObjectNode reply = JSON.createObjectNode();
        return reply.put("success", false).put("error", "Authentication failed: " + why).put("auth_error", true).toString();
    }

    private static String hugeReply() {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("success", true).put("permitted", true).put("reason", "x".repeat(100 * 1024));
        return reply.toString();
    }
}
