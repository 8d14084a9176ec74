package org.memoryvault.domain.port;

import java.util.Optional;

/**
 * A counter that only goes up and that no one can set back, outside the vault's files (a TPM NV
 * counter, docs/HARDWARE.md §6): each owner seal carries the value the counter reaches when it is
 * published, so a vault.db (and a witness) copied back from earlier shows a seal below the counter.
 * None by default.
 */
public interface RollbackCounter {
    /** No counter: seals carry no counter line, and nothing is checked. */
    RollbackCounter NONE = new RollbackCounter() {
        @Override public Optional<String> name() { return Optional.empty(); }

        @Override public long read() { throw new IllegalStateException("no rollback counter is configured"); }

        @Override public long increment() { throw new IllegalStateException("no rollback counter is configured"); }
    };

    /** The counter's name as seals record it (e.g. {@code tpm-nv:0x01500016}), or empty when none is configured. */
    Optional<String> name();

    /** Its value now; {@code ACCESS_TOKEN} when it cannot be read. */
    long read();

    /** Adds one: the new value; {@code ACCESS_TOKEN} when it cannot be reached. */
    long increment();
}
