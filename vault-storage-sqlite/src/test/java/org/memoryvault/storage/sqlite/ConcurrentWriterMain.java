package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import org.memoryvault.domain.model.Memory;

/**
 * Run in a separate JVM by {@link ConcurrencyTest}: stores {@code n} memories into an existing vault,
 * one transaction each, reading each back. Exits 0 on success, 1 with the failure on stderr.
 */
public final class ConcurrentWriterMain {
    private ConcurrentWriterMain() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        try (SqliteDatabase db = SqliteDatabases.openExisting(dir)) {
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            Fixtures f = new Fixtures(seed);
            for (int i = 0; i < n; i++) {
                Memory m = f.memory("child " + i);
                memories.insert(m);
                if (memories.find(m.id()).isEmpty()) throw new IllegalStateException("lost " + m.id());
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
