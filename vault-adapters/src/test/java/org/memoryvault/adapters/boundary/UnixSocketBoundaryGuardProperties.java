package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Capability;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Mode;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard.Decision;
import org.memoryvault.domain.testing.MutableClock;

class UnixSocketBoundaryGuardProperties {
    private static Path dir;
    private static FakeBoundaryDaemon daemon;
    private static UnixSocketBoundaryGuard guard;

    @BeforeContainer
    static void startDaemon() throws IOException {
        dir = Files.createTempDirectory("bdprop");
        daemon = FakeBoundaryDaemon.start(dir);
        Path tokenFile = BoundaryTestFiles.tokenFile(dir, daemon.issueToken(Capability.CHECK_RECALL));
        guard = new UnixSocketBoundaryGuard(UnixSocketBoundaryGuard.Settings.of(Optional.of(daemon.socket()), tokenFile,
                MutableClock.startingAt()).withTimeout(Duration.ofSeconds(2)));
    }

    @AfterContainer
    static void stopDaemon() throws IOException {
        daemon.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Over the real socket, for every mode and class: permitted exactly when the mode reaches the class's required mode. */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void decision_equalsTheDaemonsTable(@ForAll Mode mode, @ForAll Classification level) {
        daemon.setMode(mode);
        boolean expected = mode != Mode.LOCKDOWN && mode.compareTo(FakeBoundaryDaemon.REQUIRED_MODE.get(level.level())) >= 0;
        assertThat(guard.check(level).permitted()).isEqualTo(expected);
    }

    private static final String ABSENT = "<absent>";

    /** A reply permits exactly when success and permitted are the JSON literal true and any echoed class is the one asked. */
    @Property(tries = 2000)
    void decide_permitsOnlyTheExactPermitShape(@ForAll("values") String success, @ForAll("values") String permitted,
                                                @ForAll("classes") String memoryClass, @ForAll String reason,
                                                @ForAll Classification asked) {
        List<String> fields = new ArrayList<>();
        if (!success.equals(ABSENT)) fields.add("\"success\":" + success);
        if (!permitted.equals(ABSENT)) fields.add("\"permitted\":" + permitted);
        if (!memoryClass.equals(ABSENT)) fields.add("\"memory_class\":" + memoryClass.replace("ASKED", String.valueOf(asked.level())));
        fields.add("\"reason\":" + new TextNode(reason));
        String reply = "{" + String.join(",", fields) + "}";

        Decision d = DaemonReplies.decide(reply.getBytes(StandardCharsets.UTF_8), asked).decision();

        boolean expected = success.equals("true") && permitted.equals("true")
                && (memoryClass.equals(ABSENT) || memoryClass.equals("ASKED"));
        assertThat(d.permitted()).as(reply).isEqualTo(expected);
        assertThat(d.reason()).startsWith("boundary daemon: ");
        assertThat(d.reason().codePoints()).noneMatch(Character::isISOControl);
        assertThat(d.reason().length()).isLessThanOrEqualTo(400);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of(ABSENT, "true", "false", "\"true\"", "1", "0", "null", "[]", "{}", "[true]");
    }

    @Provide
    Arbitrary<String> classes() {
        return Arbitraries.of(ABSENT, "ASKED", "6", "-1", "\"ASKED\"", "null", "ASKED.5", "true");
    }

    /** No byte sequence that is not exactly a permit object permits; none throws. */
    @Property(tries = 1000)
    void decide_onArbitraryBytes_neverPermitsAndNeverThrows(@ForAll("noise") byte[] reply, @ForAll Classification asked) {
        Decision d = DaemonReplies.decide(reply, asked).decision();
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason().codePoints()).noneMatch(Character::isISOControl);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,truefalsnpermitdsc 01\\")
                .ofMaxLength(120).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> prefixOfPermit = Arbitraries.integers().between(0, 40).map(n ->
                "{\"success\":true,\"permitted\":true}".substring(0, Math.min(n, 33)).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, jsonish, prefixOfPermit)
                .filter(b -> !looksLikeAPermit(b));
    }

    /** A lenient reading: would anything take these bytes for a permit? Such inputs are not noise. */
    private static boolean looksLikeAPermit(byte[] bytes) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
            return n != null && n.path("success").asBoolean(false) && n.path("permitted").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
