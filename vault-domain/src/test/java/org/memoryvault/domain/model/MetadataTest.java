package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

class MetadataTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":1}", " {\"topic\":\"garden\"} ", "{\"nested\":{\"x\":[1,2]}}"})
    void acceptsJsonObjects(String json) {
        assertThat(new Metadata(json).json()).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "[{}]", "\"text\"", "42", "null", "{", "}", "{\"a\":1", "\"a\":1}", "x{}", "{}x"})
    void refusesAnythingButAnObject_withInputMetadata(String json) {
        assertThatThrownBy(() -> new Metadata(json))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_METADATA));
    }

    @Test
    void refusesMoreThan64KiB_withInputMetadata() {
        String atLimit = "{\"a\":\"" + "x".repeat(Metadata.MAX_CHARS - 8) + "\"}";
        assertThat(atLimit).hasSize(Metadata.MAX_CHARS);
        assertThat(new Metadata(atLimit).json()).isEqualTo(atLimit);

        String over = "{\"a\":\"" + "x".repeat(Metadata.MAX_CHARS - 7) + "\"}";
        assertThatThrownBy(() -> new Metadata(over))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_METADATA));
    }

    @Test
    void errorMessages_neverEchoTheInput() {
        String secretish = "[\"hunter2-password\"]";
        assertThatThrownBy(() -> new Metadata(secretish)).hasMessageNotContaining("hunter2");
    }
}
