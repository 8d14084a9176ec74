package org.memoryvault.storage.sqlite;

import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.Transactions;

/**
 * Test-only access to the package-private SQLite adapters, so vault-audit's tamper tests run on a
 * real vault.db without Dagger. Lives in vault-audit's test tree, in the adapters' package.
 */
public final class AuditSqliteFixture {
    private AuditSqliteFixture() {}

    public static AuditStore auditStore(SqliteDatabase db) { return new SqliteAuditStore(db); }

    public static Transactions transactions(SqliteDatabase db) { return new SqliteTransactions(db); }
}
