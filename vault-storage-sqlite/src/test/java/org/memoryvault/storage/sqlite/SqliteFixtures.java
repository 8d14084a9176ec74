package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's contract fixtures over a fresh SQLite vault in {@code dir}. */
final class SqliteFixtures {
    private SqliteFixtures() {}

    static StorageFixture storage(Path dir) {
        SqliteDatabase db = SqliteDatabases.open(dir);
        return new StorageFixture(new SqliteMemoryRepository(db), new SqliteProfileRepository(db),
                new SqliteVaultStateRepository(db), new SqliteTransactions(db), db);
    }
}
