package org.memoryvault.domain.port;

import java.util.Optional;

/**
 * A copy of the newest owner seal kept outside {@code vault.db} ({@code audit.witness-file}), so a
 * database copied back from earlier is caught (docs/FORMAT.md §12).
 */
public interface SealWitness {
    /** The witness's text, or empty when there is none (yet). */
    Optional<String> read();

    /** Replaces the witness with {@code text}, atomically. */
    void write(String text);

    /**
     * Whether an absent witness is a problem: yes where it lives in the vault directory; no where
     * the owner placed it elsewhere (removable media that is not mounted now).
     */
    boolean required();

    /** Where it is, for messages. */
    String location();
}
