package org.memoryvault.storage.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.domain.testing.TokenRepositoryContract;

/** The domain's {@code TokenRepository} contract, against a real SQLite file (a new one per try, which jqwik's tries need). */
class SqliteTokenRepositoryContractTest extends TokenRepositoryContract {
    @Override protected Subject newStore() {
        try {
            Path dir = Files.createTempDirectory("tokens");
            VaultStorage storage = SqliteVaultStorage.create(dir, SqliteDatabases.Options.DEFAULT);
            return new Subject(storage.tokens(), () -> {
                storage.close();
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
