package org.memoryvault.adapters.boundary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;

/**
 * The boundary daemon client: asks the Agent-OS boundary daemon, over its Unix domain socket,
 * whether the environment permits recalling a memory of a given class
 * ({@code check_recall} with the class number, see shared/reference/boundary-daemon-protocol.md).
 * Every check reads the API token from its file, opens one connection, sends one request, reads
 * the reply to end of stream and closes.
 *
 * <p>Security: fail-closed. A recall is permitted only when the daemon's reply is one well-formed
 * JSON object with {@code "success": true} and {@code "permitted": true}; a missing or unreadable
 * token file, a token file wider than 0600, no socket, a refused connection, a timeout (one deadline
 * over connect, write and read), an oversized, truncated or malformed reply, a daemon error or an
 * authentication error are all refusals whose reason says which. Reasons are safe to print: the
 * token never appears in them, and daemon text is stripped of control characters and capped at
 * 200 characters. With a permit cache (off by default) a permit
 * may be reused for its TTL without asking; refusals are never cached and {@link #clearCache()}
 * drops every permit. Not guaranteed: the daemon's own judgement, and whether the process at the
 * socket is the real daemon (the socket's 0600 mode and directory are the operator's to protect).
 *
 * <p>The socket is only ever the absolute path the owner configured ({@code boundary.socket}): the
 * environment ({@code $BOUNDARY_DAEMON_SOCKET}), the home and the working directory are never
 * consulted, so the token is never sent to a socket the owner did not name. Without a configured
 * socket every check is refused and nothing is read or sent. {@link #proposeSockets} only lists
 * candidates for the owner to choose from. Thread-safe.
 */
public final class UnixSocketBoundaryGuard implements BoundaryGuard {
    /** The environment variable the ecosystem's clients look at; here only a source of proposals, never of the socket. */
    public static final String SOCKET_ENV = "BOUNDARY_DAEMON_SOCKET";
    /** Where a system-wide daemon puts its socket. */
    public static final Path SYSTEM_SOCKET = Path.of("/var/run/boundary-daemon/boundary.sock");
    /** Why every check is refused when the owner named no socket. */
    static final String NO_SOCKET = "no daemon socket configured: boundary.guard = daemon needs boundary.socket, the daemon's"
            + " absolute socket path (`vault boundary discover` proposes candidates; the environment is never consulted)";

    /**
     * How to reach the daemon.
     *
     * @param socket         the absolute socket path ({@code boundary.socket}); empty refuses every check (the guard
     *                       never looks for a socket itself)
     * @param tokenFile      the 0600 file holding a token with the CHECK_RECALL capability ({@code boundary.token-file})
     * @param timeout        one deadline over connect, write and read of each exchange ({@code boundary.timeout}); positive
     * @param maxReplyBytes  a longer reply is refused as oversized; from 256 bytes to 16 MiB
     * @param permitCacheTtl how long a permit per class may be reused ({@code boundary.permit-cache}); zero turns the cache
     *                       off; at most {@link #MAX_PERMIT_CACHE}
     * @param clock          the permit cache's clock (timeouts use the monotonic clock)
     */
    public record Settings(Optional<Path> socket, Path tokenFile, Duration timeout, int maxReplyBytes,
                           Duration permitCacheTtl, Clock clock) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
        public static final int DEFAULT_MAX_REPLY_BYTES = 64 * 1024;
        public static final Duration DEFAULT_PERMIT_CACHE = Duration.ZERO;
        /** A permit is a fact about the environment at one moment; longer than this would hide mode changes. */
        public static final Duration MAX_PERMIT_CACHE = Duration.ofMinutes(5);

        public Settings {
            Objects.requireNonNull(socket, "socket");
            Objects.requireNonNull(tokenFile, "tokenFile");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(permitCacheTtl, "permitCacheTtl");
            Objects.requireNonNull(clock, "clock");
            if (socket.isPresent() && !socket.get().isAbsolute()) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.socket must be an absolute path");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.timeout must be positive");
            }
            if (maxReplyBytes < 256 || maxReplyBytes > 16 * 1024 * 1024) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "the daemon reply cap must be from 256 bytes to 16 MiB");
            }
            if (permitCacheTtl.isNegative() || permitCacheTtl.compareTo(MAX_PERMIT_CACHE) > 0) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.permit-cache must be from 0 (off) to 5m");
            }
        }

        /** Settings with the default timeout, reply cap and no permit cache. */
        public static Settings of(Optional<Path> socket, Path tokenFile, Clock clock) {
            return new Settings(socket, tokenFile, DEFAULT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES, DEFAULT_PERMIT_CACHE, clock);
        }

        public Settings withTimeout(Duration t) { return new Settings(socket, tokenFile, t, maxReplyBytes, permitCacheTtl, clock); }

        public Settings withMaxReplyBytes(int max) { return new Settings(socket, tokenFile, timeout, max, permitCacheTtl, clock); }

        public Settings withPermitCache(Duration ttl) { return new Settings(socket, tokenFile, timeout, maxReplyBytes, ttl, clock); }
    }

    private final Settings settings;
    private final PermitCache cache;

    /** A client with the given settings; it talks to the configured socket only. */
    public UnixSocketBoundaryGuard(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = new PermitCache(settings.permitCacheTtl());
    }

    /**
     * Proposals for {@code vault boundary discover}, never used to connect: the sockets that exist
     * among the ecosystem's usual places, in its order: {@code $BOUNDARY_DAEMON_SOCKET} (a relative
     * value counts from {@code cwd}), {@code /var/run/boundary-daemon/boundary.sock},
     * {@code <userHome>/.agent-os/api/boundary.sock}, {@code <cwd>/api/boundary.sock}. Absolute and
     * normalised, without duplicates.
     */
    public static List<Path> proposeSockets(Map<String, String> env, Path userHome, Path cwd) {
        return socketCandidates(env, userHome, cwd).stream().filter(Files::exists).distinct().toList();
    }

    static List<Path> socketCandidates(Map<String, String> env, Path userHome, Path cwd) {
        List<Path> paths = new ArrayList<>(4);
        String fromEnv = env.get(SOCKET_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) paths.add(cwd.resolve(fromEnv.strip()));
        paths.add(SYSTEM_SOCKET);
        paths.add(userHome.resolve(".agent-os").resolve("api").resolve("boundary.sock"));
        paths.add(cwd.resolve("api").resolve("boundary.sock"));
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    @Override
    public Decision check(Classification level) {
        Objects.requireNonNull(level, "level");
        Instant askedAt = settings.clock().instant();
        if (cache.enabled() && cache.holds(level, askedAt)) {
            return Decision.permit(DaemonReplies.PREFIX + "Recall permitted (cached permit for class " + level.level() + ")");
        }
        long generation = cache.generation();
        DaemonReplies.Answer answer = ask(level);
        cache.record(level, answer.kind(), askedAt, generation);
        return answer.decision();
    }

    private DaemonReplies.Answer ask(Classification level) {
        byte[] request = null;
        try {
            Path socket = socket();           // no socket named: refuse before the token is even read
            try (DaemonToken token = DaemonToken.read(settings.tokenFile())) {
                request = DaemonRequests.checkRecall(level.level(), token);
            }
            byte[] reply = UnixSocketExchange.exchange(socket, request, settings.timeout(), settings.maxReplyBytes());
            return DaemonReplies.decide(reply, level);
        } catch (BoundaryRefusal e) {
            return DaemonReplies.Answer.refuse(e.reason());
        } finally {
            if (request != null) Arrays.fill(request, (byte) 0);
        }
    }

    /**
     * Asks the daemon for its state ({@code status}, no token needed), for {@code vault boundary status}.
     * Never throws for daemon or transport trouble: that is an {@link DaemonStatus.Unavailable} with its reason.
     */
    public DaemonStatus status() {
        try {
            byte[] reply = UnixSocketExchange.exchange(socket(), DaemonRequests.status(), settings.timeout(),
                    settings.maxReplyBytes());
            return DaemonReplies.status(reply);
        } catch (BoundaryRefusal e) {
            return new DaemonStatus.Unavailable(DaemonReplies.PREFIX + e.reason());
        }
    }

    /** Drops every cached permit (entering lockdown calls this); the next check of every class asks the daemon. */
    public void clearCache() { cache.clear(); }

    /** Entering the vault's lockdown drops every cached permit (the protocol reference asks it). */
    @Override public void forgetPermits() { clearCache(); }

    /** The configured socket, the only one this client talks to; empty when {@code boundary.socket} is not set. */
    public Optional<Path> socketPath() { return settings.socket(); }

    private Path socket() throws BoundaryRefusal {
        return settings.socket().orElseThrow(() -> new BoundaryRefusal(NO_SOCKET));
    }

    @Override
    public String toString() {
        return "UnixSocketBoundaryGuard[socket=" + settings.socket().map(Path::toString).orElse("(none)")
                + ", tokenFile=" + settings.tokenFile() + "]";
    }
}
