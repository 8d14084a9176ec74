package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Capability;
import org.memoryvault.adapters.boundary.FakeBoundaryDaemon.Mode;

/** Keeps the test peer honest: it answers in exactly the shapes shared/reference/boundary-daemon-protocol.md states. */
class FakeBoundaryDaemonTest {
    @TempDir Path dir;
    private FakeBoundaryDaemon daemon;

    @BeforeEach
    void start() throws IOException { daemon = FakeBoundaryDaemon.start(dir); }

    @AfterEach
    void stop() throws IOException { daemon.close(); }

    private String send(String request) throws BoundaryRefusal {
        byte[] reply = UnixSocketExchange.exchange(daemon.socket(), request.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(2), 1 << 20);
        return new String(reply, StandardCharsets.UTF_8);
    }

    private JsonNode json(String s) throws IOException { return JsonMapper.builder().build().readTree(s); }

    @Test
    void socketFile_isMode0600() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket()))).isEqualTo("rw-------");
    }

    @Test
    void malformedRequest_getsInvalidJson_withoutTrailingNewline() throws Exception {
        assertThat(send("{not json")).isEqualTo("{\"error\": \"Invalid JSON\"}");
    }

    @Test
    void missingToken_getsTheAuthErrorShape() throws Exception {
        JsonNode r = json(send("{\"command\":\"check_recall\",\"params\":{\"memory_class\":1}}"));
        assertThat(r.get("success").booleanValue()).isFalse();
        assertThat(r.get("error").textValue()).isEqualTo("Authentication failed: No authentication token provided");
        assertThat(r.get("auth_error").booleanValue()).isTrue();
    }

    @Test
    void badTokenFormat_unknownToken_andUnknownCommand_getAuthErrors() throws Exception {
        assertThat(json(send("{\"command\":\"check_recall\",\"token\":\"bd_x\"}")).get("error").textValue())
                .isEqualTo("Authentication failed: Invalid token format");
        assertThat(json(send("{\"command\":\"check_recall\",\"token\":\"" + FakeBoundaryDaemon.newTokenText() + "\"}"))
                .get("error").textValue()).isEqualTo("Authentication failed: Token not found");
        String valid = daemon.issueToken(Capability.CHECK_RECALL);
        JsonNode unknown = json(send("{\"command\":\"get_mode\",\"token\":\"" + valid + "\"}"));
        assertThat(unknown.get("error").textValue()).isEqualTo("Authentication failed: Unknown command: get_mode");
        assertThat(unknown.get("auth_error").booleanValue()).isTrue();
    }

    @Test
    void checkRecall_errorShapes_haveNoPermittedKey() throws Exception {
        String t = daemon.issueToken(Capability.CHECK_RECALL);
        JsonNode missing = json(send("{\"command\":\"check_recall\",\"params\":{},\"token\":\"" + t + "\"}"));
        assertThat(missing.get("error").textValue()).isEqualTo("memory_class parameter required");
        assertThat(missing.has("permitted")).isFalse();
        JsonNode six = json(send("{\"command\":\"check_recall\",\"params\":{\"memory_class\":6},\"token\":\"" + t + "\"}"));
        assertThat(six.get("error").textValue()).isEqualTo("Invalid memory_class: 6 is not a valid MemoryClass");
        assertThat(six.get("success").booleanValue()).isFalse();
        assertThat(six.has("permitted")).isFalse();
    }

    @Test
    void checkRecall_decision_carriesReasonClassAndRateLimit() throws Exception {
        String t = daemon.issueToken(Capability.CHECK_RECALL);
        JsonNode r = json(send("{\"command\":\"check_recall\",\"params\":{\"memory_class\":4,\"memory_id\":\"m\"},\"token\":\"" + t + "\"}"));
        assertThat(r.get("success").booleanValue()).isTrue();
        assertThat(r.get("permitted").booleanValue()).isFalse();
        assertThat(r.get("reason").textValue()).isEqualTo("Recall denied: requires AIRGAP mode, currently in OPEN");
        assertThat(r.get("memory_class").intValue()).isEqualTo(4);
        assertThat(r.get("rate_limit").isObject()).isTrue();
    }

    @Test
    void setMode_needsTheCapability_andMovesTheMode() throws Exception {
        String recallOnly = daemon.issueToken(Capability.CHECK_RECALL);
        assertThat(json(send("{\"command\":\"set_mode\",\"params\":{\"mode\":\"airgap\"},\"token\":\"" + recallOnly + "\"}"))
                .get("error").textValue()).isEqualTo("Authentication failed: Token lacks capability: set_mode");
        String admin = daemon.issueToken(Capability.SET_MODE);
        send("{\"command\":\"set_mode\",\"params\":{\"mode\":\"lockdown\",\"operator\":\"system\"},\"token\":\"" + admin + "\"}");
        assertThat(daemon.mode()).isEqualTo(Mode.LOCKDOWN);
    }

    @Test
    void status_needsNoToken_andReportsLowerCaseMode() throws Exception {
        daemon.setMode(Mode.RESTRICTED);
        JsonNode r = json(send("{\"command\":\"status\"}"));
        assertThat(r.at("/status/boundary_state/mode").textValue()).isEqualTo("restricted");
        assertThat(r.at("/status/lockdown").isNull()).isTrue();
    }

    @Test
    void oneRequestPerConnection_isRecorded() throws Exception {
        send("{\"command\":\"status\"}");
        send("{\"command\":\"status\"}");
        assertThat(daemon.connections()).isEqualTo(2);
        assertThat(daemon.requests()).hasSize(2);
    }
}
