package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Capability;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Misbehaviour;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Mode;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard.Decision;
import org.memoryvault.domain.testing.MutableClock;

class UnixSocketBoundaryGuardTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @TempDir Path dir;
    private FakeBoundaryDaemon daemon;
    private String token;
    private Path tokenFile;
    private final MutableClock clock = MutableClock.startingAt();

    @BeforeEach
    void startDaemon() throws IOException {
        daemon = FakeBoundaryDaemon.start(dir);
        token = daemon.issueToken(Capability.CHECK_RECALL);
        tokenFile = BoundaryTestFiles.tokenFile(dir, token);
    }

    @AfterEach
    void stopDaemon() throws IOException {
        daemon.close();
    }

    private UnixSocketBoundaryGuard.Settings settings() {
        return UnixSocketBoundaryGuard.Settings.of(Optional.of(daemon.socket()), tokenFile, clock).withTimeout(TIMEOUT);
    }

    private UnixSocketBoundaryGuard guard() { return new UnixSocketBoundaryGuard(settings()); }

    private UnixSocketBoundaryGuard guardWithToken(String otherToken) throws IOException {
        return new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(daemon.socket()),
                BoundaryTestFiles.tokenFile(dir, otherToken), clock).withTimeout(TIMEOUT));
    }

    // ---- the daemon's decisions ----------------------------------------------------------------------------

    @Test
    void check_followsTheDaemonsTable_forEveryModeAndClass() {
        UnixSocketBoundaryGuard guard = guard();
        SoftAssertions soft = new SoftAssertions();
        for (Mode mode : Mode.values()) {
            daemon.setMode(mode);
            for (Classification level : Classification.values()) {
                Mode required = FakeBoundaryDaemon.REQUIRED_MODE.get(level.level());
                Decision d = guard.check(level);
                String where = mode + " / class " + level.level();
                if (mode == Mode.LOCKDOWN) {
                    soft.assertThat(d).as(where).isEqualTo(Decision.refuse("boundary daemon: System in LOCKDOWN mode"));
                } else if (mode.compareTo(required) >= 0) {
                    soft.assertThat(d).as(where).isEqualTo(Decision.permit("boundary daemon: Recall permitted"));
                } else {
                    soft.assertThat(d).as(where).isEqualTo(Decision.refuse(
                            "boundary daemon: Recall denied: requires " + required + " mode, currently in " + mode));
                }
            }
        }
        soft.assertAll();
        assertThat(daemon.connections()).isEqualTo(Mode.values().length * Classification.values().length);
    }

    @Test
    void check_inOpenMode_namesTheRequiredMode() {
        Decision d = guard().check(Classification.VAULTED);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).isEqualTo("boundary daemon: Recall denied: requires AIRGAP mode, currently in OPEN");
    }

    @Test
    void check_writesExactlyOneJsonObjectWithTokenAndClass() throws IOException {
        guard().check(Classification.VAULTED);
        assertThat(daemon.requests()).hasSize(1);
        String raw = daemon.requests().get(0);
        assertThat(raw).isEqualTo("{\"command\":\"check_recall\",\"params\":{\"memory_class\":4},\"token\":\"" + token + "\"}");
        JsonNode parsed = JsonMapper.builder()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build().readTree(raw);
        assertThat(parsed.get("command").textValue()).isEqualTo("check_recall");
        assertThat(parsed.get("params").get("memory_class").intValue()).isEqualTo(4);
        assertThat(parsed.get("token").textValue()).isEqualTo(token);
    }

    @Test
    void check_afterSetModeOverTheSocket_seesTheNewMode() throws Exception {
        String admin = daemon.issueToken(Capability.SET_MODE);
        byte[] setMode = ("{\"command\":\"set_mode\",\"params\":{\"mode\":\"coldroom\",\"operator\":\"human\"},\"token\":\""
                + admin + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] reply = UnixSocketExchange.exchange(daemon.socket(), setMode, TIMEOUT, 65536);
        assertThat(new String(reply, java.nio.charset.StandardCharsets.UTF_8)).contains("\"success\":true");
        assertThat(guard().check(Classification.BLACK)).isEqualTo(Decision.permit("boundary daemon: Recall permitted"));
    }

    // ---- authentication --------------------------------------------------------------------------------------

    @Test
    void check_withUnknownToken_isRefusedWithTheDaemonsAuthError() throws IOException {
        String stranger = FakeBoundaryDaemon.newTokenText();
        Decision d = guardWithToken(stranger).check(Classification.EPHEMERAL);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).isEqualTo("boundary daemon: the daemon rejected the vault's token: Authentication failed: Token not found");
        assertThat(d.reason()).doesNotContain(stranger).doesNotContain(stranger.substring(3));
    }

    @Test
    void check_withExpiredToken_isRefused() throws IOException {
        Decision d = guardWithToken(daemon.issueExpiredToken()).check(Classification.EPHEMERAL);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).endsWith("Authentication failed: Token has expired");
    }

    @Test
    void check_withTokenLackingCheckRecall_isRefused() throws IOException {
        Decision d = guardWithToken(daemon.issueToken(Capability.SET_MODE)).check(Classification.EPHEMERAL);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).endsWith("Authentication failed: Token lacks capability: check_recall");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "No authentication token provided",
        "Invalid token format",
        "Unknown command: get_mode",
    })
    void check_whenDaemonReportsAnyAuthError_isRefusedWithItsText(String why) {
        daemon.replyVerbatim("{\"success\": false, \"error\": \"Authentication failed: " + why + "\", \"auth_error\": true}");
        Decision d = guard().check(Classification.WORKING);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).isEqualTo("boundary daemon: the daemon rejected the vault's token: Authentication failed: " + why);
    }

    // ---- error shapes, wrong types, missing fields ----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "{\"success\": false, \"error\": \"memory_class parameter required\"}"
                + "|boundary daemon: the daemon reported an error: memory_class parameter required",
        "{\"success\": false, \"error\": \"Invalid memory_class: 6 is not a valid MemoryClass\"}"
                + "|boundary daemon: the daemon reported an error: Invalid memory_class: 6 is not a valid MemoryClass",
        "{\"error\": \"Invalid JSON\"}|boundary daemon: Invalid JSON",
        "{\"error\": \"Internal server error\"}|boundary daemon: Internal server error",
        "{\"success\": false}|boundary daemon: the daemon reported an error: the daemon reported a failure without an error text",
        "{\"permitted\": true, \"reason\": \"Recall permitted\"}|boundary daemon: reply has no \"success\" field",
        "{\"success\": \"true\", \"permitted\": true}|boundary daemon: reply's \"success\" is not a boolean",
        "{\"success\": 1, \"permitted\": true}|boundary daemon: reply's \"success\" is not a boolean",
        "{\"success\": true}|boundary daemon: reply has no \"permitted\" field",
        "{\"success\": true, \"permitted\": \"true\"}|boundary daemon: reply's \"permitted\" is not a boolean",
        "{\"success\": true, \"permitted\": 1}|boundary daemon: reply's \"permitted\" is not a boolean",
        "{\"success\": true, \"permitted\": null}|boundary daemon: reply's \"permitted\" is not a boolean",
        "{\"success\": true, \"permitted\": false}|boundary daemon: recall refused (the daemon gave no reason)",
        "{\"success\": true, \"permitted\": true, \"memory_class\": 0}"
                + "|boundary daemon: the permit is for memory_class 0, not for the class asked about (3)",
        "{\"success\": true, \"permitted\": true, \"memory_class\": \"3\"}"
                + "|boundary daemon: the permit is for memory_class \"3\", not for the class asked about (3)",
        "{\"success\": true, \"permitted\": false, \"permitted\": true}"
                + "|boundary daemon: reply is not well-formed JSON (garbage, trailing bytes or duplicate keys)",
        "{\"success\": true, \"permitted\": true}{\"success\": true, \"permitted\": true}"
                + "|boundary daemon: reply is not well-formed JSON (garbage, trailing bytes or duplicate keys)",
        "{\"success\": true, \"permitted\": true} x"
                + "|boundary daemon: reply is not well-formed JSON (garbage, trailing bytes or duplicate keys)",
        "[true, true]|boundary daemon: reply is JSON but not an object",
        "true|boundary daemon: reply is JSON but not an object",
        "{\"success\": true, \"permitted\": false, \"reason\": \"Recall requires human override ceremony\"}"
                + "|boundary daemon: Recall requires human override ceremony",
        "{\"success\": true, \"permitted\": false, \"reason\": \"Unable to determine environment state\"}"
                + "|boundary daemon: Unable to determine environment state",
    })
    void check_withAnyReplyButAPermit_isRefusedWithATellingReason(String reply, String reason) {
        daemon.replyVerbatim(reply);
        assertThat(guard().check(Classification.SEALED)).isEqualTo(Decision.refuse(reason));
    }

    @Test
    void check_permitWithTrailingNewline_isAccepted() {
        daemon.replyVerbatim("{\"success\": true, \"permitted\": true, \"reason\": \"Recall permitted\", \"memory_class\": 3}\n");
        assertThat(guard().check(Classification.SEALED)).isEqualTo(Decision.permit("boundary daemon: Recall permitted"));
    }

    @Test
    void check_daemonTextWithControlCharacters_isMadePrintableAndShort() {
        String evil = "Recall denied: \\u001b[31mred\\u0007 \\u202eevil\\n" + "y".repeat(5000);
        daemon.replyVerbatim("{\"success\": true, \"permitted\": false, \"reason\": \"" + evil + "\"}");
        Decision d = guard().check(Classification.SEALED);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).startsWith("boundary daemon: Recall denied: [31mred evil").endsWith("...");
        assertThat(d.reason().codePoints()).noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT);
        assertThat(d.reason().length()).isLessThanOrEqualTo("boundary daemon: ".length() + PrintableText.MAX_CODE_POINTS + 3);
    }

    // ---- misbehaving daemons ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HANG|boundary daemon: no reply within 300 ms",
        "SLOW_REPLY|boundary daemon: no reply within 300 ms",
        "HALF_REPLY|boundary daemon: truncated reply (the connection closed in the middle of the JSON)",
        "GARBAGE|boundary daemon: reply is not well-formed JSON (not UTF-8)",
        "HUGE_REPLY|boundary daemon: oversized reply (more than 65536 bytes)",
        "CLOSE_AT_ONCE|boundary daemon: the daemon closed the connection without a reply (it drops peers that are neither root nor its own user)",
    })
    void check_againstAMisbehavingDaemon_isRefusedQuickly(Misbehaviour misbehaviour, String reason) {
        daemon.setMode(Mode.COLDROOM);                     // so a well-behaved daemon would permit
        daemon.replyDelay(Duration.ofSeconds(2));
        daemon.misbehave(misbehaviour);
        long started = System.nanoTime();
        Decision d = guard().check(Classification.EPHEMERAL);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(d).isEqualTo(Decision.refuse(reason));
        assertThat(tookMillis).isLessThan(1500);
    }

    @Test
    void check_withSmallerReplyCap_refusesANormalReplyAsOversized() {
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(settings().withMaxReplyBytes(256));
        daemon.replyVerbatim("{\"success\": true, \"permitted\": true, \"reason\": \"" + "r".repeat(300) + "\"}");
        assertThat(guard.check(Classification.EPHEMERAL)).isEqualTo(Decision.refuse("boundary daemon: oversized reply (more than 256 bytes)"));
    }

    // ---- the socket ---------------------------------------------------------------------------------------------

    @Test
    void check_withoutSocketFile_isRefused() {
        Path missing = dir.resolve("nothing-here.sock");
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(missing), tokenFile, clock));
        assertThat(guard.check(Classification.EPHEMERAL)).isEqualTo(Decision.refuse(
                "boundary daemon: no socket at " + missing + " (is the daemon running? see boundary.socket)"));
    }

    @Test
    void check_whenNothingListensOnTheSocketFile_isRefusedAsConnectionRefused() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }                                                   // closed: the file stays, nobody listens
        assertThat(stale).exists();
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(stale), tokenFile, clock));
        assertThat(guard.check(Classification.EPHEMERAL)).isEqualTo(Decision.refuse(
                "boundary daemon: connection refused at " + stale + " (the socket file exists but no daemon is listening)"));
    }

    @Test
    void check_withNoSocketConfigured_isRefused_withoutLookingAnywhereOrReadingTheToken() {
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.empty(), tokenFile, clock));
        Decision d = guard.check(Classification.EPHEMERAL);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).isEqualTo("boundary daemon: " + UnixSocketBoundaryGuard.NO_SOCKET).contains("boundary.socket");
        assertThat(guard.socketPath()).isEmpty();
        assertThat(guard.status()).isInstanceOf(DaemonStatus.Unavailable.class);
        assertThat(daemon.connections()).isZero();
    }

    @Test
    void settings_refuseARelativeSocketPath() {
        assertThatThrownBy(() -> UnixSocketBoundaryGuard.Settings.of(Optional.of(Path.of("api/boundary.sock")), tokenFile, clock))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG));
    }

    // ---- the token file -----------------------------------------------------------------------------------------

    private Decision checkWithTokenFile(Path file) {
        return new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(daemon.socket()), file, clock)
                .withTimeout(TIMEOUT)).check(Classification.EPHEMERAL);
    }

    @Test
    void check_withMissingTokenFile_isRefusedWithoutContactingTheDaemon() {
        Path missing = dir.resolve("no-token");
        assertThat(checkWithTokenFile(missing)).isEqualTo(Decision.refuse(
                "boundary daemon: token file " + missing + " is missing (boundary.token-file)"));
        assertThat(daemon.connections()).isZero();
    }

    @Test
    void check_withWorldReadableTokenFile_isRefusedWithoutContactingTheDaemon() throws IOException {
        Path wide = BoundaryTestFiles.tokenFile(dir, token + "\n", "rw-r--r--");
        Decision d = checkWithTokenFile(wide);
        assertThat(d).isEqualTo(Decision.refuse("boundary daemon: token file " + wide
                + " has permissions rw-r--r--; it must be 0600 or stricter (chmod 600 " + wide + ")"));
        assertThat(d.reason()).doesNotContain(token);
        assertThat(daemon.connections()).isZero();
    }

    @Test
    void check_withGroupWritableTokenFile_isRefused() throws IOException {
        assertThat(checkWithTokenFile(BoundaryTestFiles.tokenFile(dir, token, "rw--w----")).permitted()).isFalse();
        assertThat(daemon.connections()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bd_short",
        "xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "bd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
        "bd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
        "bd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "bd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA bd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    })
    void check_withMalformedTokenFile_isRefusedWithoutContactingTheDaemonOrPrintingIt(String content) throws IOException {
        Path file = BoundaryTestFiles.tokenFile(dir, content, "rw-------");
        Decision d = checkWithTokenFile(file);
        assertThat(d).isEqualTo(Decision.refuse("boundary daemon: token file " + file
                + " does not hold a daemon token (expected bd_ followed by 43 url-safe base64 characters)"));
        assertThat(d.reason()).doesNotContain(content);
        assertThat(daemon.connections()).isZero();
    }

    @Test
    void check_withEmptyOrHugeTokenFile_isRefused() throws IOException {
        assertThat(checkWithTokenFile(BoundaryTestFiles.tokenFile(dir, "", "rw-------")).permitted()).isFalse();
        assertThat(checkWithTokenFile(BoundaryTestFiles.tokenFile(dir, token + "\n".repeat(2000), "rw-------")).permitted()).isFalse();
        assertThat(daemon.connections()).isZero();
    }

    @Test
    void check_withDirectoryAsTokenFile_isRefused() throws IOException {
        Path d = Files.createDirectory(dir.resolve("tokdir"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        assertThat(checkWithTokenFile(d)).isEqualTo(Decision.refuse("boundary daemon: token file " + d + " is not a regular file"));
    }

    @Test
    void check_withOwnerReadOnlyTokenAndSurroundingWhitespace_works() throws IOException {
        Path file = BoundaryTestFiles.tokenFile(dir, "  " + token + "\r\n", "r--------");
        assertThat(checkWithTokenFile(file).permitted()).isTrue();
        assertThat(daemon.requests().get(0)).contains("\"token\":\"" + token + "\"}");
    }

    @Test
    void check_rereadsTheTokenFileEveryTime() throws IOException {
        UnixSocketBoundaryGuard guard = guard();
        assertThat(guard.check(Classification.EPHEMERAL).permitted()).isTrue();
        Files.delete(tokenFile);
        assertThat(guard.check(Classification.EPHEMERAL).permitted()).isFalse();
        assertThat(daemon.connections()).isEqualTo(1);
    }

    // ---- the permit cache -----------------------------------------------------------------------------------------

    private UnixSocketBoundaryGuard cachingGuard() {
        return new UnixSocketBoundaryGuard(settings().withPermitCache(Duration.ofSeconds(10)));
    }

    @Test
    void cache_isOffByDefault() {
        UnixSocketBoundaryGuard guard = guard();
        guard.check(Classification.EPHEMERAL);
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_withinTtl_answersWithoutAsking_andAsksAgainAfter() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        assertThat(guard.check(Classification.WORKING).permitted()).isTrue();
        clock.advance(Duration.ofSeconds(9));
        Decision cached = guard.check(Classification.WORKING);
        assertThat(cached.permitted()).isTrue();
        assertThat(cached.reason()).contains("cached");
        assertThat(daemon.connections()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));                // the TTL counts from the ask: now expired
        assertThat(guard.check(Classification.WORKING).permitted()).isTrue();
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_isPerClass() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        guard.check(Classification.WORKING);
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_neverStoresARefusal() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        assertThat(guard.check(Classification.VAULTED).permitted()).isFalse();
        assertThat(guard.check(Classification.VAULTED).permitted()).isFalse();
        assertThat(daemon.connections()).isEqualTo(2);
        daemon.setMode(Mode.AIRGAP);
        assertThat(guard.check(Classification.VAULTED).permitted()).isTrue();
    }

    @Test
    void clearCache_makesTheNextCheckAskTheDaemon() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        daemon.setMode(Mode.TRUSTED);
        assertThat(guard.check(Classification.SEALED).permitted()).isTrue();
        daemon.setMode(Mode.LOCKDOWN);
        assertThat(guard.check(Classification.SEALED).permitted()).as("within the TTL the cache answers").isTrue();
        guard.clearCache();
        assertThat(guard.check(Classification.SEALED)).isEqualTo(Decision.refuse("boundary daemon: System in LOCKDOWN mode"));
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_modeDenial_dropsPermitsOfThatClassAndAbove_only() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        daemon.setMode(Mode.AIRGAP);
        guard.check(Classification.EPHEMERAL);
        guard.check(Classification.VAULTED);
        daemon.setMode(Mode.OPEN);
        assertThat(guard.check(Classification.SEALED).permitted()).isFalse();   // asks: not cached
        assertThat(daemon.connections()).isEqualTo(3);
        assertThat(guard.check(Classification.VAULTED).permitted()).as("class 4 permit was dropped").isFalse();
        assertThat(guard.check(Classification.EPHEMERAL).permitted()).as("class 0 permit still cached").isTrue();
        assertThat(daemon.connections()).isEqualTo(4);
    }

    @Test
    void cache_aDaemonLockdownSetWithSetMode_dropsEveryPermit_thoughItReadsLikeAModeDenial() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        daemon.setMode(Mode.AIRGAP);
        assertThat(guard.check(Classification.VAULTED).permitted()).isTrue();
        daemon.lockdownBySetMode();
        assertThat(guard.check(Classification.EPHEMERAL)).isEqualTo(
                Decision.refuse("boundary daemon: Recall denied: requires OPEN mode, currently in LOCKDOWN"));
        assertThat(guard.check(Classification.VAULTED).permitted()).as("the class 4 permit was dropped too").isFalse();
        assertThat(daemon.connections()).isEqualTo(3);
    }

    @Test
    void forgetPermits_theVaultsLockdown_dropsEveryCachedPermit() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        guard.check(Classification.EPHEMERAL);
        guard.forgetPermits();
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_anyOtherRefusal_dropsEveryPermit() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        guard.check(Classification.EPHEMERAL);
        daemon.misbehave(Misbehaviour.GARBAGE);
        assertThat(guard.check(Classification.WORKING).permitted()).isFalse();
        daemon.misbehave(Misbehaviour.NONE);
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(3);
    }

    @Test
    void cache_clearedWhileAPermitIsInFlight_doesNotStoreThatPermit() throws Exception {
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(settings().withTimeout(Duration.ofSeconds(3))
                .withPermitCache(Duration.ofSeconds(10)));
        daemon.misbehave(Misbehaviour.SLOW_REPLY);
        daemon.replyDelay(Duration.ofMillis(300));
        CompletableFuture<Decision> inFlight = CompletableFuture.supplyAsync(() -> guard.check(Classification.EPHEMERAL));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (daemon.requests().isEmpty() && System.nanoTime() < until) Thread.sleep(5);
        guard.clearCache();                                  // lockdown arrives while the daemon is still answering
        assertThat(inFlight.get(3, TimeUnit.SECONDS).permitted()).isTrue();
        daemon.misbehave(Misbehaviour.NONE);
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(2);
    }

    @Test
    void cache_whenTheClockGoesBack_asksAgain() {
        UnixSocketBoundaryGuard guard = cachingGuard();
        guard.check(Classification.EPHEMERAL);
        clock.advance(Duration.ofSeconds(-1));
        guard.check(Classification.EPHEMERAL);
        assertThat(daemon.connections()).isEqualTo(2);
    }

    // ---- status ----------------------------------------------------------------------------------------------------

    @Test
    void status_reportsModeNetworkAndLockdown_withoutAToken() throws IOException {
        Files.delete(tokenFile);
        UnixSocketBoundaryGuard guard = guard();
        assertThat(guard.status()).isEqualTo(new DaemonStatus.Running("open", "online", false));
        daemon.setMode(Mode.AIRGAP);
        assertThat(guard.status()).isEqualTo(new DaemonStatus.Running("airgap", "offline", false));
        daemon.setMode(Mode.LOCKDOWN);
        assertThat(guard.status()).isEqualTo(new DaemonStatus.Running("lockdown", "offline", true));
        daemon.lockdownBySetMode();
        assertThat(guard.status()).as("status.lockdown is null; the mode says it").isEqualTo(new DaemonStatus.Running("lockdown", "offline", true));
        assertThat(daemon.requests()).containsOnly("{\"command\":\"status\"}");
    }

    @Test
    void status_withoutSocket_isUnavailableWithAReason() {
        Path missing = dir.resolve("gone.sock");
        UnixSocketBoundaryGuard guard = new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(missing), tokenFile, clock));
        assertThat(guard.status()).isEqualTo(new DaemonStatus.Unavailable(
                "boundary daemon: no socket at " + missing + " (is the daemon running? see boundary.socket)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"success\": false, \"error\": \"Internal server error\"}|boundary daemon: the daemon reported an error: Internal server error",
        "{\"success\": true, \"status\": {}}|boundary daemon: status reply has no status.boundary_state.mode",
        "{\"success\": true, \"status\": {\"boundary_state\": {\"mode\": 3}}}|boundary daemon: status reply has no status.boundary_state.mode",
        "not json|boundary daemon: reply is not well-formed JSON (garbage, trailing bytes or duplicate keys)",
        "{}|boundary daemon: status reply has no \"success\": true",
    })
    void status_withBadReply_isUnavailable(String reply, String reason) {
        daemon.replyVerbatim(reply);
        assertThat(guard().status()).isEqualTo(new DaemonStatus.Unavailable(reason));
    }

    @Test
    void status_withoutNetworkField_saysUnknown() {
        daemon.replyVerbatim("{\"success\": true, \"status\": {\"boundary_state\": {\"mode\": \"TRUSTED\"}, \"lockdown\": null}}");
        assertThat(guard().status()).isEqualTo(new DaemonStatus.Running("trusted", "unknown", false));
    }

    @Test
    void status_ofAHangingDaemon_timesOut() {
        daemon.misbehave(Misbehaviour.HANG);
        assertThat(guard().status()).isEqualTo(new DaemonStatus.Unavailable("boundary daemon: no reply within 300 ms"));
    }

    // ---- settings and discovery -------------------------------------------------------------------------------------

    @Test
    void settings_rejectBadValuesWithInputConfig() {
        UnixSocketBoundaryGuard.Settings ok = settings();
        List<Runnable> bad = new ArrayList<>(List.of(
                () -> ok.withTimeout(Duration.ZERO),
                () -> ok.withTimeout(Duration.ofMillis(-1)),
                () -> ok.withMaxReplyBytes(0),
                () -> ok.withMaxReplyBytes(17 * 1024 * 1024),
                () -> ok.withPermitCache(Duration.ofSeconds(-1)),
                () -> ok.withPermitCache(Duration.ofMinutes(6))));
        for (Runnable r : bad) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG));
        }
        assertThat(ok.timeout()).isEqualTo(TIMEOUT);
        assertThat(UnixSocketBoundaryGuard.Settings.of(Optional.empty(), tokenFile, clock))
                .extracting(UnixSocketBoundaryGuard.Settings::timeout, UnixSocketBoundaryGuard.Settings::maxReplyBytes,
                        UnixSocketBoundaryGuard.Settings::permitCacheTtl)
                .containsExactly(Duration.ofSeconds(2), 65536, Duration.ZERO);
    }

    @Nested
    class Discovery {
        @TempDir Path home;
        @TempDir Path cwd;

        private Path socketFile(Path p) throws IOException {
            Files.createDirectories(p.getParent());
            return Files.createFile(p);
        }

        @Test
        void candidates_followTheEcosystemsOrder() {
            assertThat(UnixSocketBoundaryGuard.socketCandidates(Map.of("BOUNDARY_DAEMON_SOCKET", "/run/x.sock"), home, cwd))
                    .containsExactly(Path.of("/run/x.sock"), Path.of("/var/run/boundary-daemon/boundary.sock"),
                            home.resolve(".agent-os/api/boundary.sock"), cwd.resolve("api/boundary.sock"));
            assertThat(UnixSocketBoundaryGuard.socketCandidates(Map.of("BOUNDARY_DAEMON_SOCKET", " "), home, cwd)).hasSize(3);
        }

        @Test
        void proposals_listOnlyExistingSockets_inTheEcosystemsOrder_asAbsolutePaths() throws IOException {
            Path inHome = socketFile(home.resolve(".agent-os/api/boundary.sock"));
            Path fromEnv = socketFile(dir.resolve("env/boundary.sock"));
            Path inCwd = socketFile(cwd.resolve("api/boundary.sock"));
            List<Path> proposed = UnixSocketBoundaryGuard.proposeSockets(
                    Map.of("BOUNDARY_DAEMON_SOCKET", fromEnv.toString()), home, cwd);
            assertThat(proposed).containsSubsequence(fromEnv, inHome, inCwd).allMatch(Path::isAbsolute);
            assertThat(UnixSocketBoundaryGuard.proposeSockets(Map.of("BOUNDARY_DAEMON_SOCKET", dir.resolve("none.sock").toString()),
                    home, cwd)).doesNotContain(dir.resolve("none.sock")).contains(inHome, inCwd);
        }

        @Test
        void proposals_resolveARelativeEnvironmentValueAgainstTheWorkingDirectory() throws IOException {
            Path relative = socketFile(cwd.resolve("rel/d.sock"));
            assertThat(UnixSocketBoundaryGuard.proposeSockets(Map.of("BOUNDARY_DAEMON_SOCKET", "rel/d.sock"), home, cwd))
                    .startsWith(relative);
        }

        @Test
        void proposals_areEmpty_whenNoCandidateExists() {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(UnixSocketBoundaryGuard.SYSTEM_SOCKET));
            assertThat(UnixSocketBoundaryGuard.proposeSockets(Map.of(), home, cwd)).isEmpty();
        }
    }

    @Test
    void toString_namesPathsButNeverTheToken() {
        assertThat(guard().toString()).contains(daemon.socket().toString()).doesNotContain(token);
    }
}
