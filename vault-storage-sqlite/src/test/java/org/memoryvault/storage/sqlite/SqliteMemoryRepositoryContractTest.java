package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.testing.MemoryRepositoryContract;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's {@code MemoryRepository} contract, run against a real SQLite file. */
class SqliteMemoryRepositoryContractTest extends MemoryRepositoryContract {
    @TempDir Path dir;

    @Override
    protected StorageFixture newFixture() { return SqliteFixtures.storage(dir); }
}
