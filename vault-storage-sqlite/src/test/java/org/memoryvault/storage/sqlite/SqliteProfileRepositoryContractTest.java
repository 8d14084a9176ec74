package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.testing.ProfileRepositoryContract;
import org.memoryvault.domain.testing.StorageFixture;

/** The domain's {@code ProfileRepository} contract, run against a real SQLite file. */
class SqliteProfileRepositoryContractTest extends ProfileRepositoryContract {
    @TempDir Path dir;

    @Override
    protected StorageFixture newFixture() { return SqliteFixtures.storage(dir); }
}
