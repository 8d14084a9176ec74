package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

class MemoryIdTest {

    @Test
    void parse_acceptsCanonicalForm_andNormalisesCaseAndSpace() {
        MemoryId id = MemoryId.parse("  123E4567-E89B-42D3-A456-426614174000 ");

        assertThat(id.toString()).isEqualTo("123e4567-e89b-42d3-a456-426614174000");
        assertThat(MemoryId.parse(id.toString())).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not-a-uuid", "123e4567e89b42d3a456426614174000", "123e4567-e89b-42d3-a456-42661417400",
            "123e4567-e89b-42d3-a456-4266141740000", "123e4567-e89b-42d3-a456_426614174000", "{123e4567-e89b-42d3-a456-426614174000}",
            "g23e4567-e89b-42d3-a456-426614174000", "1-2-3-4-5", "123e4567-e89b-42d3-a456-426614174000; DROP TABLE memories",
            "123e4567-e89b-42d3-a456-42661417400\u0660"})
    void parse_refusesAnythingElse_withInputMemoryId(String text) {
        assertThatThrownBy(() -> MemoryId.parse(text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_MEMORY_ID));
    }

    @Test
    void generate_makesVersion4IetfVariantIds_thatParseBack() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            MemoryId id = MemoryId.generate(random);
            assertThat(id.value().version()).isEqualTo(4);
            assertThat(id.value().variant()).isEqualTo(2);
            assertThat(MemoryId.parse(id.toString())).isEqualTo(id);
        }
    }

    @Test
    void generate_dependsOnlyOnTheGenerator() {
        assertThat(MemoryId.generate(new SplittableRandom(42))).isEqualTo(MemoryId.generate(new SplittableRandom(42)));
        assertThat(MemoryId.generate(new SplittableRandom(42))).isNotEqualTo(MemoryId.generate(new SplittableRandom(43)));
    }
}
