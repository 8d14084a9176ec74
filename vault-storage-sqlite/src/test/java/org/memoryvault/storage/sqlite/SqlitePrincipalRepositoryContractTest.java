package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.domain.testing.PrincipalRepositoryContract;

/** The domain's {@code PrincipalRepository} contract, against a real SQLite file through the module's public face. */
class SqlitePrincipalRepositoryContractTest extends PrincipalRepositoryContract {
    @TempDir Path dir;

    @Override protected Subject newStore() {
        VaultStorage storage = SqliteVaultStorage.create(dir, SqliteDatabases.Options.DEFAULT);
        return new Subject(storage.principals(), storage.profiles(), storage.transactions(), storage::close);
    }
}
