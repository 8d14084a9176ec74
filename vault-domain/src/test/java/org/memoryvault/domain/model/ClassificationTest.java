package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** Pins the requirements table of ARCHITECTURE §3 and the parsing of user input. */
class ClassificationTest {

    @ParameterizedTest(name = "level {0} {1}: network-off={2} approval={3} token={4} expires={5}")
    @CsvSource({
            "0, EPHEMERAL, false, false, false, true",
            "1, WORKING,   false, false, false, false",
            "2, PRIVATE,   false, false, false, false",
            "3, SEALED,    true,  true,  false, false",
            "4, VAULTED,   true,  true,  false, false",
            "5, BLACK,     true,  true,  true,  false",
    })
    void requirementsTable_matchesTheArchitecture(int level, Classification c, boolean networkOff, boolean approval,
                                                  boolean token, boolean expires) {
        assertThat(c.level()).isEqualTo(level);
        assertThat(Classification.ofLevel(level)).isSameAs(c);
        assertThat(c.requirements()).isEqualTo(new Classification.Requirements(networkOff, approval, token, expires));
    }

    @Test
    void levels_areExactlyZeroToFive_inOrder() {
        assertThat(Classification.values()).extracting(Classification::level).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void covers_isClearanceAtLeastTheLevel() {
        for (Classification clearance : Classification.values()) {
            for (Classification memory : Classification.values()) {
                assertThat(clearance.covers(memory)).as("%s covers %s", clearance, memory)
                        .isEqualTo(clearance.level() >= memory.level());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0, EPHEMERAL", " 3 , SEALED", "5, BLACK", "sealed, SEALED", "Vaulted, VAULTED", "  private , PRIVATE",
            "EPHEMERAL, EPHEMERAL", "black, BLACK"})
    void parse_acceptsLevelNumbersAndNames(String text, Classification expected) {
        assertThat(Classification.parse(text)).isSameAs(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "6", "-1", "99", "999999999", "9999999999", "1.0", "0x3", "secret", "seal", "3 sealed", "٣",
            "sealed!", "l3"})
    void parse_refusesAnythingElse_withInputClassification(String text) {
        assertThatThrownBy(() -> Classification.parse(text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CLASSIFICATION));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 6, 7, 100, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void ofLevel_refusesOutOfRange_withInputClassification(int level) {
        assertThatThrownBy(() -> Classification.ofLevel(level))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CLASSIFICATION));
    }
}
