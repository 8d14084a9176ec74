package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.util.Objects;
import java.util.function.Supplier;
import org.memoryvault.domain.port.Transactions;

/**
 * The domain's unit of work over the vault database: see {@link SqliteDatabase#inTransaction}.
 * Repositories and the audit store of this module join the transaction bound to the thread.
 */
final class SqliteTransactions implements Transactions {
    private final SqliteDatabase db;

    @Inject
    SqliteTransactions(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public <T> T inTransaction(Supplier<T> work) { return db.inTransaction(work); }

    @Override
    public <T> T inSnapshot(Supplier<T> work) { return db.inSnapshot(work); }
}
