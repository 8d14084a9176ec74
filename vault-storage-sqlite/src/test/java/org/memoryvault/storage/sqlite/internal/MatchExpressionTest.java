package org.memoryvault.storage.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.SearchQuery;

class MatchExpressionTest {
    @Test
    void eachTermIsQuotedWithAPrefixStar_joinedBySpaces() {
        assertThat(MatchExpression.of(SearchQuery.parse("foo bar", false, 10))).contains("\"foo\"* \"bar\"*");
    }

    @Test
    void operatorsInTheUserText_becomeQuotedWords() {
        assertThat(MatchExpression.of(SearchQuery.parse("\"NEAR( ) OR * : ^ -col:x AND \"\"\"", false, 10)))
                .contains("\"near\"* \"or\"* \"col\"* \"x\"* \"and\"*");
    }

    @Test
    void aQuoteInATerm_wouldBeDoubled() {
        // SearchQuery never lets a quote through; the builder does not rely on that.
        assertThat(MatchExpression.of(List.of("a\"b"))).contains("\"a\"\"b\"*");
    }

    @Test
    void noTerms_isEmpty() {
        assertThat(MatchExpression.of(new SearchQuery(List.of(), false, 10))).isEmpty();
    }
}
