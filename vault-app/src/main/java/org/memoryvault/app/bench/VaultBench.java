package org.memoryvault.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.memoryvault.app.progress.Progress;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.usecase.LockProfile;
import org.memoryvault.domain.usecase.RecallMemory;
import org.memoryvault.domain.usecase.StoreMemory;
import org.memoryvault.domain.usecase.UnlockProfile;

/**
 * {@code vault bench}: an end-to-end benchmark through the real adapters (SQLite file, libsodium,
 * audit log) into a temporary vault. Every single store and recall is its own durable transaction.
 */
public final class VaultBench {
    /** How much to measure. */
    /** How much to measure; {@code sensitiveArgon2} adds the 1 GiB preset to the Argon2id timings. */
    public record Options(int prefill, int singles, boolean argon2Presets, long auditEntries, boolean sensitiveArgon2) {}

    private final PrintStream progress;
    private final Progress.Factory bars;
    private final boolean showBars;

    /** Phase lines (with counts) on {@code progress}; no bars. */
    public VaultBench(PrintStream progress) { this(progress, Progress.none(), false); }

    /** With {@code showBars}, each phase is a progress bar made by {@code bars} instead of a line. */
    public VaultBench(PrintStream progress, Progress.Factory bars, boolean showBars) {
        this.progress = progress;
        this.bars = showBars ? bars : Progress.none();
        this.showBars = showBars;
    }

    private void phase(String line) {
        if (!showBars) progress.println(line);
    }

    public Map<String, Object> run(Options options) {
        return inScratchDirectory(Optional.empty(), "vault-bench", dir -> measure(dir, options));
    }

    /**
     * Runs {@code work} in a new directory (0700) under {@code under}, else the system's temporary
     * directory, and deletes the directory and everything in it afterwards.
     */
    static <T> T inScratchDirectory(Optional<Path> under, String prefix, java.util.function.Function<Path, T> work) {
        Path dir;
        try {
            var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            dir = under.isPresent() ? Files.createTempDirectory(under.get(), prefix, owner) : Files.createTempDirectory(prefix, owner);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot create a temporary directory", e);
        }
        try {
            return work.apply(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private Map<String, Object> measure(Path dir, Options options) {
        resetPeaks();
        Path passFile = dir.resolve("bench.pass");
        write(passFile, "bench passphrase, not a secret");
        Map<String, Object> report = new LinkedHashMap<>();
        VaultOptions vo = new VaultOptions(dir.resolve("vault"), Optional.of(passFile), Optional.empty(), Map.of());
        try (Vault vault = Vault.init(vo, Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createProfile("bench-keyfile", true, Optional.empty(), false, Optional.empty());
            vault.createProfile("bench-passphrase", false, Optional.empty(), true, Optional.of(passFile));
            report.put("memories_before_singles", options.prefill());
            report.put("batched_store", batched(vault, ProfileId.of("bench-keyfile"), options.prefill()));
            for (String profile : List.of("bench-keyfile", "bench-passphrase")) {
                ProfileId pid = ProfileId.of(profile);
                Map<String, Object> p = new LinkedHashMap<>();
                List<MemoryId> ids = new ArrayList<>();
                phase(options.singles() + " single stores and recalls, profile " + profile + " ...");
                p.put("store", singles(options.singles(), "stores, " + profile, i -> ids.add(store(vault, pid, i))));
                SplittableRandom pick = new SplittableRandom(7);
                p.put("recall", singles(options.singles(), "recalls, " + profile, i -> recall(vault, ids.get(pick.nextInt(ids.size())))));
                report.put(profile.replace('-', '_'), p);
            }
        }
        if (options.auditEntries() > 0) report.put("audit", audit(dir, options));
        if (options.argon2Presets()) report.put("argon2id_unlock_ms", argon2(dir, passFile, options.sensitiveArgon2()));
        report.put("heap", heap());
        return report;
    }

    private Map<String, Object> batched(Vault vault, ProfileId profile, int count) {
        phase("batched store of " + count + " memories ...");
        int batch = 1_000;
        long start = System.nanoTime();
        try (Progress bar = bars.start("batched store", count)) {
            for (int done = 0; done < count; done += batch) {
                int n = Math.min(batch, count - done);
                List<StoreMemory.Request> requests = new ArrayList<>(n);
                List<Plaintext> contents = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Plaintext p = content(done + i);
                    contents.add(p);
                    requests.add(request(profile, p, done + i));
                }
                vault.component().storeMemory().executeAll(requests);
                contents.forEach(Plaintext::close);
                bar.step(n);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", count);
        r.put("batch_size", batch);
        r.put("seconds", round(seconds));
        r.put("per_second", Math.round(count / seconds));
        return r;
    }

    private interface Op {
        void run(int i);
    }

    private Map<String, Object> singles(int count, Op op) { return singles(count, "", op); }

    private Map<String, Object> singles(int count, String task, Op op) {
        long[] latencies = new long[count];
        long start = System.nanoTime();
        try (Progress bar = task.isEmpty() ? Progress.none().start(task, count) : bars.start(task, count)) {
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                op.run(i);
                latencies[i] = System.nanoTime() - t;
                bar.step(1);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", count);
        r.put("per_second", Math.round(count / seconds));
        r.put("p50_ms", round(latencies[count / 2] / 1e6));
        r.put("p99_ms", round(latencies[Math.min(count - 1, (int) (count * 0.99))] / 1e6));
        return r;
    }

    private static MemoryId store(Vault vault, ProfileId profile, int i) {
        try (Plaintext p = content(i)) {
            return vault.component().storeMemory().execute(request(profile, p, i)).id();
        }
    }

    private static void recall(Vault vault, MemoryId id) {
        RecallMemory.Recalled r = vault.component().recallMemory()
                .execute(new RecallMemory.Request(id, new Requester.Owner(), "benchmark", Optional.empty()));
        r.plaintext().close();
    }

    private static StoreMemory.Request request(ProfileId profile, Plaintext p, int i) {
        return new StoreMemory.Request(p, Classification.WORKING, profile, AccessPolicy.DEFAULT,
                new Metadata("{\"topic\":\"bench\",\"n\":" + i + "}"), List.of(), new Requester.Owner());
    }

    private static Plaintext content(int i) {
        byte[] b = new byte[256];
        new SplittableRandom(i).nextBytes(b);
        return Plaintext.adopt(b);
    }

    /** Recalls/s with a small and with a large audit log (append cost must stay flat), and a full verify. */
    private Map<String, Object> audit(Path dir, Options options) {
        Map<String, Object> r = new LinkedHashMap<>();
        VaultOptions vo = new VaultOptions(dir.resolve("audit-vault"), Optional.empty(), Optional.empty(), Map.of());
        try (Vault vault = Vault.init(vo, Optional.of(KdfPreset.INTERACTIVE))) {
            ProfileId pid = ProfileId.of("bench");
            vault.createProfile("bench", true, Optional.empty(), false, Optional.empty());
            List<MemoryId> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) ids.add(store(vault, pid, i));
            int ops = Math.max(1, options.singles());
            SplittableRandom pick = new SplittableRandom(11);
            // warm-up (unmeasured): JIT and the WAL settle first; then the log is padded to 1,000 entries
            singles(Math.min(ops, 500), i -> recall(vault, ids.get(pick.nextInt(ids.size()))));
            padLog(vault, 1_000, Progress.none().start("", 0));
            long small = vault.component().auditQueries().size();
            Map<String, Object> before = singles(ops, i -> recall(vault, ids.get(pick.nextInt(ids.size()))));
            phase("growing the audit log to " + options.auditEntries() + " entries ...");
            long t = System.nanoTime();
            try (Progress bar = bars.start("audit log entries", Math.max(0, options.auditEntries() - small))) {
                padLog(vault, options.auditEntries(), bar);
            }
            double padSeconds = (System.nanoTime() - t) / 1e9;
            vault.component().auditCheckpoints().checkpointIfGrown();
            singles(ops, i -> recall(vault, ids.get(pick.nextInt(ids.size()))));
            long large = vault.component().auditQueries().size();
            Map<String, Object> after = singles(ops, i -> recall(vault, ids.get(pick.nextInt(ids.size()))));
            vault.component().auditCheckpoints().checkpointIfGrown();
            phase("verifying " + vault.component().auditQueries().size() + " entries ...");
            resetPeaks();
            t = System.nanoTime();
            boolean ok = vault.component().auditVerifier().verify().ok();
            double verifySeconds = (System.nanoTime() - t) / 1e9;
            r.put("recall_with_small_log", with(before, "log_entries", small));
            r.put("recall_with_large_log", with(after, "log_entries", large));
            r.put("large_over_small_recalls_per_second", round(((Number) java.util.Objects.requireNonNull(after.get("per_second")))
                    .doubleValue() / ((Number) java.util.Objects.requireNonNull(before.get("per_second"))).doubleValue()));
            r.put("batched_append_per_second", Math.round((large - small) / padSeconds));
            r.put("verify_entries", vault.component().auditQueries().size());
            r.put("verify_seconds", round(verifySeconds));
            r.put("verify_ok", ok);
            r.put("verify_heap", heap());
        }
        return r;
    }

    private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put(key, value);
        return out;
    }

    /** Appends synthetic refusal events (batches of 10,000, one transaction each) until the log has {@code target} entries. */
    private static void padLog(Vault vault, long target, Progress bar) {
        var log = vault.component().auditLog();
        long size = vault.component().auditQueries().size();
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        while (size < target) {
            int n = (int) Math.min(10_000, target - size);
            List<org.memoryvault.domain.model.AuditEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(org.memoryvault.domain.model.AuditEvent.of(org.memoryvault.domain.model.AuditEvent.RECALL_REFUSED, at)
                        .with("memory_id", "00000000-0000-4000-8000-000000000000").with("requester", "bench")
                        .with("gate", "cooldown").with("code", "ACCESS_COOLDOWN").with("reason", "benchmark padding"));
            }
            log.appendAll(events);
            size += n;
            bar.step(n);
        }
    }

    private Map<String, Object> argon2(Path dir, Path passFile, boolean sensitive) {
        Map<String, Object> r = new LinkedHashMap<>();
        List<KdfPreset> presets = java.util.Arrays.stream(KdfPreset.values())
                .filter(p -> sensitive || p != KdfPreset.SENSITIVE).toList();
        for (KdfPreset preset : presets) {
            phase("Argon2id unlock, preset " + preset.wireName() + " ...");
            VaultOptions vo = new VaultOptions(dir.resolve("argon2-" + preset.wireName()), Optional.of(passFile), Optional.empty(), Map.of());
            try (Vault vault = Vault.init(vo, Optional.of(preset))) {
                vault.createProfile("p", false, Optional.empty(), true, Optional.of(passFile));
                vault.component().lockProfile().execute(new LockProfile.Request(Optional.empty()));
                long t = System.nanoTime();
                vault.component().unlockProfile().execute(new UnlockProfile.Request(ProfileId.of("p"), false));
                r.put(preset.wireName(), round((System.nanoTime() - t) / 1e6));
            }
        }
        return r;
    }

    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
    }

    static Map<String, Object> heap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("peak_used_mib", round(peak / 1048576.0));
        r.put("used_after_gc_mib", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
        r.put("max_mib", round(rt.maxMemory() / 1048576.0));
        return r;
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }

    private static void write(Path file, String text) {
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
