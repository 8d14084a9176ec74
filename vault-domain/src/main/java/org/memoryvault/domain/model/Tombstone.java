package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;

/** A memory's permanent end: it is never decrypted again. {@code shredded} means its ciphertext is gone. */
public record Tombstone(Instant at, String reason, String by, boolean shredded) {
    public Tombstone {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
    }
}
