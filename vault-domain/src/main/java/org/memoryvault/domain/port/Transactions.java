package org.memoryvault.domain.port;

import java.util.function.Supplier;

/**
 * Runs work in one durable storage transaction: all of its writes commit together or none do.
 * Nested calls on the same thread join the outer transaction.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    /**
     * Runs read-only {@code work} on one consistent snapshot of the store, without waiting for
     * writers and without holding them up: for checks that read many rows. Inside a transaction it
     * joins it. An adapter may refuse a write made inside it. The default is a write transaction,
     * which also sees one consistent state.
     */
    default <T> T inSnapshot(Supplier<T> work) { return inTransaction(work); }

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
