package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.testing.TransactionsContract;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's {@code Transactions} contract, run against a real SQLite file. */
class SqliteTransactionsContractTest extends TransactionsContract {
    @TempDir Path dir;

    @Override
    protected StorageFixture newFixture() { return SqliteFixtures.storage(dir); }
}
