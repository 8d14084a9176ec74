package org.memoryvault.domain.port;

import java.util.function.Supplier;

/**
 * Runs work in one durable storage transaction: all of its writes commit together or none do.
 * Nested calls on the same thread join the outer transaction.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
