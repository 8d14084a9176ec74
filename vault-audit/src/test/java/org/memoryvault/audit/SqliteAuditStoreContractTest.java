package org.memoryvault.audit;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.domain.testing.AuditStoreContract;
import org.memoryvault.storage.sqlite.SqliteDatabases;
import org.memoryvault.storage.sqlite.SqliteVaultStorage;

/** The SQLite audit store (vault.db) passes the contract the audit tests' fake passes. */
class SqliteAuditStoreContractTest extends AuditStoreContract {
    @TempDir Path dir;

    @Override protected Subject newStore() {
        VaultStorage storage = SqliteVaultStorage.create(dir, SqliteDatabases.Options.DEFAULT);
        return new Subject(storage.auditStore(), storage.transactions(), storage::close);
    }
}
