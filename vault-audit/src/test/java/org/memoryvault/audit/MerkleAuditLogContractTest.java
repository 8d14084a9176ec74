package org.memoryvault.audit;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.domain.testing.AuditLogContract;
import org.memoryvault.storage.sqlite.SqliteDatabases;
import org.memoryvault.storage.sqlite.SqliteVaultStorage;

/** The real audit log (RFC 9162 tree over a SQLite vault.db) passes the contract the use-case tests' fake passes. */
class MerkleAuditLogContractTest extends AuditLogContract {
    @TempDir Path dir;

    @Override protected Subject newLog() {
        VaultStorage storage = SqliteVaultStorage.create(dir, SqliteDatabases.Options.DEFAULT);
        MerkleAuditLog log = new MerkleAuditLog(storage.auditStore(), new JdkEd25519Signer(new SecureRandom()), storage.transactions(),
                Clock.systemUTC(), AuditConfig.forVault("contract"));
        return new Subject(log, storage.transactions(), storage::close);
    }
}
