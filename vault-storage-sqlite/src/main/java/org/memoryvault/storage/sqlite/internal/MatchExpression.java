package org.memoryvault.storage.sqlite.internal;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.SearchQuery;

/**
 * Builds an FTS5 MATCH expression from a {@link SearchQuery}: each term becomes a quoted string
 * with a prefix star, and the terms are joined by spaces (implicit AND): {@code "foo"* "bar"*}.
 * Inside a quoted FTS5 string every character is literal except the quote itself, which is doubled,
 * so no term can reach the query syntax (NEAR, OR, NOT, column filters, ^, parentheses).
 */
public final class MatchExpression {
    private MatchExpression() {}

    /** The expression, or empty when the query has no terms (nothing can match). */
    public static Optional<String> of(SearchQuery query) {
        return of(query.terms());
    }

    static Optional<String> of(List<String> terms) {
        if (terms.isEmpty()) return Optional.empty();
        StringBuilder out = new StringBuilder();
        for (String term : terms) {
            if (out.length() > 0) out.append(' ');
            out.append('"').append(term.replace("\"", "\"\"")).append("\"*");
        }
        return Optional.of(out.toString());
    }
}
