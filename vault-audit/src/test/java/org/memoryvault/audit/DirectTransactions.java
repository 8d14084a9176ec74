package org.memoryvault.audit;

import java.util.function.Supplier;
import org.memoryvault.domain.port.Transactions;

/** Runs work directly: enough for the single-threaded in-memory store. */
final class DirectTransactions implements Transactions {
    @Override public <T> T inTransaction(Supplier<T> work) { return work.get(); }
}
