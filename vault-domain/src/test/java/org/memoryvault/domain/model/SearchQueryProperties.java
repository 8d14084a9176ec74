package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * User search text is reduced to letter/digit terms: whatever the input, parsing either yields
 * only such terms (so nothing reaches a query language as syntax) or refuses with INPUT_QUERY.
 */
class SearchQueryProperties {

    @Provide
    Arbitrary<String> userText() {
        Arbitrary<String> syntax = Arbitraries.of("\"", "*", "^", ":", "(", ")", "-", "+", "NEAR(", "OR", "AND", "NOT", "'", ";",
                "--", "{", "}", " ", "\t", "\n", "\u0000", "é", "日本", "٣", "\uD83D\uDE00", "x", "42", "col:", "%", "_");
        Arbitrary<String> mixed = syntax.list().ofMaxSize(40).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().all().ofMaxLength(60), mixed);
    }

    @Property(tries = 1500)
    void parse_yieldsOnlyLetterOrDigitTerms_orRefusesWithInputQuery(@ForAll("userText") String text) {
        SearchQuery q;
        try {
            q = SearchQuery.parse(text, false, 10);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_QUERY);
            return;
        }
        assertThat(q.terms()).isNotEmpty().hasSizeLessThanOrEqualTo(SearchQuery.MAX_TERMS);
        for (String term : q.terms()) {
            assertThat(term).isNotEmpty();
            assertThat(term.codePoints().allMatch(Character::isLetterOrDigit)).as("term %s", term).isTrue();
        }
    }

    @Property(tries = 500)
    void parse_keepsEveryLetterOrDigitRun_lowerCased(@ForAll("userText") String text) {
        String kept = text.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        try {
            assertThat(String.join("", SearchQuery.parse(text, true, 10).terms())).isEqualTo(kept);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_QUERY);
        }
    }

    @Example
    void operatorsAndQuotes_becomePlainWords() {
        assertThat(SearchQuery.parse("\"garden\" OR NEAR(tomato*, 3) -col:x", false, 5).terms())
                .containsExactly("garden", "or", "near", "tomato", "3", "col", "x");
    }

    @Example
    void noWords_orTooManyWords_isInputQuery() {
        assertThatThrownBy(() -> SearchQuery.parse(" \"*\" () ", false, 5))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_QUERY));
        assertThatThrownBy(() -> SearchQuery.parse("a ".repeat(SearchQuery.MAX_TERMS + 1), false, 5))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_QUERY));
        assertThat(SearchQuery.parse("a ".repeat(SearchQuery.MAX_TERMS), false, 5).terms()).hasSize(SearchQuery.MAX_TERMS);
    }
}
