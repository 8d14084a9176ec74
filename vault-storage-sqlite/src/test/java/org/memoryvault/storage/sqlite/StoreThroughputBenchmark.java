package org.memoryvault.storage.sqlite;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.port.AuditStore;

/**
 * Throwaway measurement, not a test (no assertion on time): stores memories the way StoreMemory
 * does (memory row + FTS row + audit entry and head, one transaction) and prints stores/s,
 * single and batched. Run: java -cp <test classpath> org.memoryvault.storage.sqlite.StoreThroughputBenchmark [dir]
 */
public final class StoreThroughputBenchmark {
    private StoreThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("vault-bench");
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            Fixtures f = new Fixtures(1);
            new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            SqliteTransactions tx = new SqliteTransactions(db);
            // The audit store's part of a store: one entry row and the new head (the SHA-256 and
            // Merkle work of vault-audit is not measured here; the hashes are random).
            SqliteAuditStore audit = new SqliteAuditStore(db);
            Runnable[] leaf = {null};
            leaf[0] = () -> {
                long index = audit.head().size();
                long size = index + 1;
                List<String> range = new ArrayList<>();
                for (int b = 0; b < Long.bitCount(size); b++) range.add(HexFormat.of().formatHex(f.bytes(32)));
                audit.append(new AuditStore.Entry(index, "{\"classification\":1,\"memory_id\":\"x\",\"type\":\"memory.store\"}",
                                HexFormat.of().formatHex(f.bytes(32)), "memory.store", Fixtures.T0, Optional.empty(),
                                Optional.of("00000000-0000-4000-8000-000000000000")),
                        new AuditStore.Head(size, range), List.of());
            };

            for (int round = 0; round < 2; round++) {
                List<Memory> singles = make(f, 3_000);
                long t0 = System.nanoTime();
                long c0 = cpu();
                for (Memory m : singles) {
                    tx.run(() -> {
                        memories.insert(m);
                        leaf[0].run();
                    });
                }
                double singleRate = singles.size() / ((System.nanoTime() - t0) / 1e9);
                double singleCpu = singles.size() / ((cpu() - c0) / 1e9);

                List<Memory> batch = make(f, 60_000);
                t0 = System.nanoTime();
                c0 = cpu();
                for (int i = 0; i < batch.size(); i += 1_000) {
                    List<Memory> slice = batch.subList(i, i + 1_000);
                    tx.run(() -> {
                        for (Memory m : slice) {
                            memories.insert(m);
                            leaf[0].run();
                        }
                    });
                }
                double batchRate = batch.size() / ((System.nanoTime() - t0) / 1e9);
                double batchCpu = batch.size() / ((cpu() - c0) / 1e9);
                System.out.printf("round %d: single stores %.0f/s (%.0f/s of CPU), batched (1000 per tx) %.0f/s "
                        + "(%.0f/s of CPU), total rows %d%n", round, singleRate, singleCpu, batchRate, batchCpu, memories.count());
            }
        }
    }

    /** This thread's CPU time (SQLite runs on it too), which the other builds on the box disturb less than wall time. */
    private static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }

    private static List<Memory> make(Fixtures f, int n) {
        List<Memory> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(f.memory(Classification.WORKING, Fixtures.T0.plusMillis(i),
                    "{\"topic\":\"benchmark note " + i + "\",\"tags\":[\"perf\",\"sqlite\"],\"source\":\"agent-7\"}"));
        }
        return out;
    }
}
