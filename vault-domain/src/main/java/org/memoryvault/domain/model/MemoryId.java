package org.memoryvault.domain.model;

import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** A memory's identity: a random (version 4) UUID, written in canonical lower-case form. */
public record MemoryId(UUID value) {
    private static final java.util.regex.Pattern CANONICAL =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public MemoryId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses the canonical 36-character form; anything else is {@code INPUT_MEMORY_ID}. */
    public static MemoryId parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!CANONICAL.matcher(t).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_MEMORY_ID,
                    "memory id must be a UUID like 123e4567-e89b-42d3-a456-426614174000");
        }
        return new MemoryId(UUID.fromString(t));
    }

    /** A fresh random id from the given generator (pass a SecureRandom in production). */
    public static MemoryId generate(RandomGenerator random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;           // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new MemoryId(new UUID(msb, lsb));
    }

    @Override public String toString() { return value.toString(); }
}
