package org.memoryvault.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.memoryvault.app.api.MemoryVault;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.audit.AuditRecord;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KdfPreset;

/**
 * {@code vault bench --concurrency N}: durable stores and recalls through the embeddable API (the
 * path of {@code vault mcp}) by one caller, then by N callers at once, in one temporary vault, as
 * an agent principal. Beside them, in the same run, the yardstick: single-row commits/s of a plain
 * SQLite file with the vault's durability settings ({@code synchronous=FULL}, WAL). Afterwards the
 * vault is checked: every store that returned is there, each caller's stores are in the audit log
 * in the order it made them, and the log verifies.
 */
public final class ConcurrencyBench {
    /**
     * {@code ops}: operations per caller and phase; {@code callers}: how many at once; {@code under}:
     * the directory to make the temporary vault in (the disk measured), else the system's temporary one.
     */
    public record Options(int ops, int callers, Optional<Path> under) {}

    private final PrintStream progress;

    public ConcurrencyBench(PrintStream progress) { this.progress = progress; }

    public Map<String, Object> run(Options options) {
        if (options.callers() < 1 || options.ops() < 1) {
            throw new org.memoryvault.domain.error.InvalidInputException(ErrorCode.INPUT_INVALID, "--concurrency and --ops must be at least 1");
        }
        if (options.under().isPresent() && !Files.isDirectory(options.under().get())) {
            throw new org.memoryvault.domain.error.InvalidInputException(ErrorCode.INPUT_INVALID, "--dir " + options.under().get() + " is not a directory");
        }
        return VaultBench.inScratchDirectory(options.under(), "vault-bench", dir -> measure(dir, options));
    }

    private Map<String, Object> measure(Path dir, Options options) {
        Map<String, Object> report = new LinkedHashMap<>();
        progress.println("yardstick: single-row SQLite commits ...");
        report.put("directory", String.valueOf(dir.getParent()));
        report.put("sqlite_commits_per_second", sqliteCommits(dir.resolve("yardstick.db"), Math.max(200, options.ops())));
        Path home = dir.resolve("vault");
        Path credential = setUp(dir, home);
        try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
            List<String> ids = new ArrayList<>();
            progress.println("warm-up ...");              // unmeasured: the JIT compiles both paths, the WAL settles
            int warm = Math.min(1_000, 2 * options.ops());
            phase(vault, 1, warm, ids, Kind.STORE);
            phase(vault, 1, warm, ids, Kind.RECALL);
            phase(vault, options.callers(), Math.max(1, warm / options.callers()), ids, Kind.STORE);
            phase(vault, options.callers(), Math.max(1, warm / options.callers()), ids, Kind.RECALL);
            progress.println(options.ops() + " stores and recalls by one caller ...");
            Phase oneStore = phase(vault, 1, options.ops(), ids, Kind.STORE);
            Phase oneRecall = phase(vault, 1, options.ops(), ids, Kind.RECALL);
            progress.println(options.ops() + " stores and recalls by each of " + options.callers() + " callers at once ...");
            Phase stores = phase(vault, options.callers(), options.ops(), ids, Kind.STORE);
            Phase recalls = phase(vault, options.callers(), options.ops(), ids, Kind.RECALL);
            report.put("callers", options.callers());
            report.put("one_caller", pair(oneStore, oneRecall));
            report.put(options.callers() + "_callers", pair(stores, recalls));
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("stores_per_second", round(stores.perSecond() / oneStore.perSecond()));
            ratio.put("store_p99", round(stores.p99() / oneStore.p99()));
            ratio.put("recalls_per_second", round(recalls.perSecond() / oneRecall.perSecond()));
            ratio.put("recall_p99", round(recalls.p99() / oneRecall.p99()));
            report.put("ratio_to_one_caller", ratio);
            progress.println("the same " + options.callers() + " callers with every operation committing alone ...");
            Phase[] alone = withoutGroupCommit(home, credential, options, ids);
            report.put(options.callers() + "_callers_without_group_commit", pair(alone[0], alone[1]));
            Map<String, Object> gain = new LinkedHashMap<>();
            gain.put("stores_per_second", round(stores.perSecond() / alone[0].perSecond()));
            gain.put("recalls_per_second", round(recalls.perSecond() / alone[1].perSecond()));
            report.put("group_commit_gain", gain);
            progress.println("checking the vault ...");
            report.put("check", check(home, credential, ids, stores.idsByCaller));
        }
        return report;
    }

    /** The stores and recalls of many callers again, in a second instance whose database commits every work alone. */
    private static Phase[] withoutGroupCommit(Path home, Path credential, Options options, List<String> ids) {
        String before = System.getProperty(org.memoryvault.storage.sqlite.SqliteDatabase.MAX_GROUP_PROPERTY);
        System.setProperty(org.memoryvault.storage.sqlite.SqliteDatabase.MAX_GROUP_PROPERTY, "1");
        try (MemoryVault alone = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
            return new Phase[] {phase(alone, options.callers(), options.ops(), ids, Kind.STORE),
                    phase(alone, options.callers(), options.ops(), ids, Kind.RECALL)};
        } finally {
            if (before == null) System.clearProperty(org.memoryvault.storage.sqlite.SqliteDatabase.MAX_GROUP_PROPERTY);
            else System.setProperty(org.memoryvault.storage.sqlite.SqliteDatabase.MAX_GROUP_PROPERTY, before);
        }
    }

    /** A vault with a clearance-2 agent principal (no rate limit); returns its credential file. */
    private static Path setUp(Path dir, Path home) {
        Path passFile = dir.resolve("bench.pass");
        try {
            Files.writeString(Files.createFile(passFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    "bench passphrase, not a secret", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + passFile, e);
        }
        VaultOptions vo = new VaultOptions(home, Optional.of(passFile), Optional.empty(), Map.of());
        try (Vault vault = Vault.init(vo, Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createOwnerProfile("default", Optional.empty(), true, Optional.of(passFile));
            vault.addPrincipal("bench-agent", Classification.PRIVATE, Optional.empty(), Optional.of(dir.resolve("bench-agent.key")));
            vault.finish();
            return vault.lastCredentialFile();
        }
    }

    private enum Kind { STORE, RECALL }

    /** What one phase measured: latencies of every operation, wall time, and each caller's stored ids in order. */
    private static final class Phase {
        final long[] latencies;
        final double seconds;
        final List<List<String>> idsByCaller;

        Phase(long[] latencies, double seconds, List<List<String>> idsByCaller) {
            this.latencies = latencies;
            this.seconds = seconds;
            this.idsByCaller = idsByCaller;
        }

        double perSecond() { return latencies.length / seconds; }

        /** The latency below which 99% of the operations finished, in ms. */
        double p99() { return percentile(0.99); }

        private double percentile(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
        }

        Map<String, Object> report() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("count", latencies.length);
            r.put("per_second", Math.round(perSecond()));
            r.put("p50_ms", round(percentile(0.5)));
            r.put("p99_ms", round(p99()));
            return r;
        }
    }

    /** {@code callers} threads, each making {@code ops} calls; a store adds its id to {@code ids} (recalls pick from them). */
    private static Phase phase(MemoryVault vault, int callers, int ops, List<String> ids, Kind kind) {
        List<String> pool = List.copyOf(ids);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            long[] latencies = new long[callers * ops];
            List<Future<List<String>>> done = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(threads.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(caller);
                    List<String> stored = new ArrayList<>(kind == Kind.STORE ? ops : 0);
                    for (int i = 0; i < ops; i++) {
                        long t = System.nanoTime();
                        if (kind == Kind.STORE) {
                            byte[] content = new byte[256];
                            random.nextBytes(content);
                            stored.add(vault.store(content, 1, "{\"topic\":\"bench\",\"caller\":" + caller + ",\"n\":" + i + "}"));
                        } else {
                            MemoryVault.Recall r = vault.recall(pool.get(random.nextInt(pool.size())), "benchmark");
                            if (!r.granted()) throw new IllegalStateException("a level-1 recall was not granted");
                        }
                        latencies[caller * ops + i] = System.nanoTime() - t;
                    }
                    return stored;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            List<List<String>> byCaller = new ArrayList<>();
            for (Future<List<String>> f : done) byCaller.add(f.get());
            double seconds = (System.nanoTime() - t0) / 1e9;
            byCaller.forEach(ids::addAll);
            return new Phase(latencies, seconds, byCaller);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "a benchmark caller failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Every stored id is a memory of the vault; each concurrent caller's stores are in the audit log
     * in the order the caller made them; the whole log verifies.
     */
    private static Map<String, Object> check(Path home, Path credential, List<String> ids, List<List<String>> byCaller) {
        Map<String, Object> r = new LinkedHashMap<>();
        try (Vault vault = Vault.open(new VaultOptions(home, Optional.empty(), Optional.empty(), Optional.of(credential), Map.of(),
                Optional.empty()))) {
            Map<String, Long> storeIndex = new HashMap<>();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (AuditRecord e : vault.component().auditQueries().log(Optional.empty(), Optional.of(AuditEvent.STORE), Integer.MAX_VALUE)) {
                try {
                    storeIndex.put(json.readTree(e.entry()).path("memory_id").asText(), e.index());
                } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
                    throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "unreadable audit entry " + e.index(), bad);
                }
            }
            long missing = ids.stream().filter(id -> !storeIndex.containsKey(id)).count();
            long outOfOrder = 0;
            for (List<String> caller : byCaller) {
                for (int i = 1; i < caller.size(); i++) {
                    Long a = storeIndex.get(caller.get(i - 1));
                    Long b = storeIndex.get(caller.get(i));
                    if (a != null && b != null && a >= b) outOfOrder++;
                }
            }
            long notInVault = 0;
            for (String id : ids) {
                try {
                    vault.component().showMemory().execute(org.memoryvault.domain.model.MemoryId.parse(id));
                } catch (org.memoryvault.domain.error.NotFoundException e) {
                    notInVault++;
                }
            }
            r.put("stores_returned", ids.size());
            r.put("stores_missing_from_vault", notInVault);
            r.put("stores_missing_from_audit_log", missing);
            r.put("stores_out_of_caller_order", outOfOrder);
            r.put("audit_log_verifies", vault.component().auditVerifier().verify().ok());
        }
        return r;
    }

    /** Single-row INSERT commits/s on a plain SQLite file with the vault's durability settings. */
    private static long sqliteCommits(Path file, int count) {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
        config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v BLOB)");
            }
            byte[] row = new byte[256];
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (n, v) VALUES (?, ?)")) {
                for (int i = 0; i < count; i++) {
                    ps.setInt(1, i);
                    ps.setBytes(2, row);
                    ps.executeUpdate();          // autocommit: one durable commit per row
                }
            }
            return Math.round(count / ((System.nanoTime() - start) / 1e9));
        } catch (SQLException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the SQLite yardstick failed", e);
        }
    }

    private static Map<String, Object> pair(Phase stores, Phase recalls) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", stores.report());
        m.put("recall", recalls.report());
        return m;
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }
}
