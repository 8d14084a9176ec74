package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Metadata;

/**
 * Fuzz harness for {@code store --metadata} (docs/TESTING.md): every input is stored as compact
 * JSON that parses back to itself, or is refused with {@code INPUT_METADATA}; never another
 * exception (5,000 levels of nesting and {@code 1e999999} included, see the seeds).
 */
class MetadataFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void metadata(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Metadata m;
        try {
            m = Json.metadata(text);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_METADATA);
            return;
        }
        assertThat(Json.metadata(m.json())).isEqualTo(m);
        assertThat(m.json()).doesNotContain("Infinity").doesNotContain("NaN");
    }
}
