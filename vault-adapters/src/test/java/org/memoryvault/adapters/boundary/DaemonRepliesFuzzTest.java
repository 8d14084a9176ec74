package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.memoryvault.domain.model.Classification;

/**
 * Fuzz harnesses for the boundary daemon's replies (docs/TESTING.md): whatever bytes arrive on the
 * socket, the client answers without an exception, and it permits only what a strict JSON reading
 * of the reply says is a permit for the class asked about (fail-closed, docs/INTEGRATIONS.md).
 */
class DaemonRepliesFuzzTest {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @FuzzTest(maxDuration = "30s")
    void checkRecallReply(byte[] reply) {
        for (Classification c : Classification.values()) {
            DaemonReplies.Answer a = DaemonReplies.decide(reply, c);
            assertThat(a.decision().reason()).doesNotContainPattern("\\p{Cntrl}");
            if (a.decision().permitted()) {
                JsonNode n = strict(reply);
                assertThat(n).as("a permit from a reply that is not one JSON object").isNotNull();
                assertThat(n.path("success").isBoolean() && n.path("success").booleanValue()).isTrue();
                assertThat(n.path("permitted").isBoolean() && n.path("permitted").booleanValue()).isTrue();
                JsonNode echoed = n.get("memory_class");
                assertThat(echoed == null || (echoed.canConvertToInt() && echoed.intValue() == c.level())).isTrue();
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void statusReply(byte[] reply) {
        assertThat(DaemonReplies.status(reply)).isNotNull();
    }

    private static JsonNode strict(byte[] reply) {
        try {
            JsonNode n = STRICT.readTree(reply);
            return n != null && n.isObject() ? n : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
