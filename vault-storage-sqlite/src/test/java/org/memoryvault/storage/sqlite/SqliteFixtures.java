package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's contract fixtures over a fresh SQLite vault in {@code dir}. */
final class SqliteFixtures {
    private SqliteFixtures() {}

    /** Through the module's public face, as the vault opens it: the contract suites are the backend's acceptance test. */
    static StorageFixture storage(Path dir) {
        return StorageFixture.of(SqliteVaultStorage.create(dir, SqliteDatabases.Options.DEFAULT));
    }
}
