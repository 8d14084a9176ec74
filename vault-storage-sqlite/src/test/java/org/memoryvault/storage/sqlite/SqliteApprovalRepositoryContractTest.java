package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.testing.ApprovalRepositoryContract;

/** The domain's {@code ApprovalRepository} contract, run against a real SQLite file. */
class SqliteApprovalRepositoryContractTest extends ApprovalRepositoryContract {
    @TempDir Path dir;

    @Override
    protected ApprovalStore newStore() {
        SqliteDatabase db = SqliteDatabases.open(dir);
        return new ApprovalStore(new SqliteApprovalRepository(db), new SqliteTransactions(db), db);
    }
}
