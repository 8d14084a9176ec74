package org.memoryvault.domain.model;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A memory's searchable metadata: a compact JSON object. It is not secret (it is indexed for search
 * and shown by {@code show}); the adapter that parses user input normalises it before it gets here
 * and enforces the limits below (contract: docs/CONFIG.md, "Metadata").
 */
public record Metadata(String json) {
    public static final int MAX_CHARS = 65_536;
    /** The most UTF-8 bytes user input may have. */
    public static final int MAX_BYTES = 65_536;
    /** The deepest nesting of objects and arrays (the top-level object is depth 1). */
    public static final int MAX_DEPTH = 32;
    /** The most JSON values (objects, arrays, strings, numbers, booleans, nulls, the top-level object included). */
    public static final int MAX_VALUES = 1_000;
    public static final Metadata EMPTY = new Metadata("{}");

    public Metadata {
        Objects.requireNonNull(json, "json");
        String t = json.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata must be a JSON object");
        }
        if (json.length() > MAX_CHARS) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata is larger than 64 KiB");
        }
    }
}
