package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.testing.VaultStateRepositoryContract;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's {@code VaultStateRepository} contract, run against a real SQLite file. */
class SqliteVaultStateRepositoryContractTest extends VaultStateRepositoryContract {
    @TempDir Path dir;

    @Override
    protected StorageFixture newFixture() { return SqliteFixtures.storage(dir); }
}
