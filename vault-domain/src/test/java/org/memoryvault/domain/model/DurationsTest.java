package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"0, PT0S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "7d, PT168H", " 90s , PT1M30S", "0s, PT0S", "999999999d, PT23999999976H"})
    void parse_acceptsWholeNumbersWithAUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "-5m", "5 m", "5M", "1.5h", "5w", "m", "1h30m", "1000000000s", "PT5M", "5mm", "+5m", "٥m"})
    void parse_refusesAnythingElse_withInputDuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_DURATION));
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0", "PT45S, 45s", "PT1M30S, 90s", "PT5M, 5m", "PT2H, 2h", "PT48H, 2d", "PT25H, 25h"})
    void format_usesTheLargestExactUnit_andParsesBack(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
