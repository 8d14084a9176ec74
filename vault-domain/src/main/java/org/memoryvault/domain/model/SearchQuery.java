package org.memoryvault.domain.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A user's search, reduced to plain terms. User text is never passed to a query language: only runs
 * of letters and digits survive as terms (all must match, each as a prefix of a word), so
 * operators, quotes and column filters in the input are inert.
 */
public record SearchQuery(List<String> terms, boolean includeJustifications, int limit) {
    public static final int MAX_TERMS = 16;

    public SearchQuery {
        terms = List.copyOf(terms);
        for (String t : terms) {
            if (t.isEmpty() || !t.codePoints().allMatch(Character::isLetterOrDigit)) {
                throw new IllegalArgumentException("term must be letters and digits");
            }
        }
        if (limit < 1 || limit > 1000) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "limit must be from 1 to 1000");
    }

    /** Splits user text into terms; refuses input with no searchable term at all. */
    public static SearchQuery parse(String userText, boolean includeJustifications, int limit) {
        Objects.requireNonNull(userText, "userText");
        List<String> terms = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        userText.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                current.appendCodePoint(Character.toLowerCase(cp));
            } else if (current.length() > 0) {
                terms.add(current.toString());
                current.setLength(0);
            }
        });
        if (current.length() > 0) terms.add(current.toString());
        if (terms.isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_QUERY, "search query has no words to look for");
        }
        if (terms.size() > MAX_TERMS) {
            throw new InvalidInputException(ErrorCode.INPUT_QUERY, "search query has more than " + MAX_TERMS + " words");
        }
        return new SearchQuery(terms, includeJustifications, limit);
    }
}
