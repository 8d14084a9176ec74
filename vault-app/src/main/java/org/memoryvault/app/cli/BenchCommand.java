package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.app.bench.ConcurrencyBench;
import org.memoryvault.app.bench.StartupBench;
import org.memoryvault.app.bench.VaultBench;
import org.memoryvault.app.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vault bench}: stores/s, recalls/s, latency, Argon2id unlock time, audit-log growth and heap
 * in a temporary vault (small sizes by default, today's full sizes with --full); {@code --startup}
 * times short commands as new processes against {@code java -version}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the real adapters in a temporary vault (never your vault).",
                "The defaults finish in under a minute; --full measures 100,000 memories, 1,000,000 audit entries and every",
                "Argon2id preset (1 GiB). --startup times short commands, each a new process, against java -version.",
                "--concurrency N: N threads calling one embedded vault in one process, against one thread, then the N threads",
                "with group commit off, beside SQLite's own commit rate (several `vault mcp` servers are separate processes and",
                "share no commits)."})
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--full", description = "Today's full sizes (minutes, and 1 GiB for the sensitive Argon2id preset).")
    boolean full;

    @Option(names = "--memories", paramLabel = "N", description = "Memories stored in batches first (default: 2,000; --full: 100,000).")
    Integer memories;

    @Option(names = "--ops", paramLabel = "N", description = "Single stores and recalls measured per profile (default: 500; --full: 5,000).")
    Integer ops;

    @Option(names = "--audit-entries", paramLabel = "N",
            description = "Grow a second vault's audit log to this many entries, compare recalls/s and time a full verify; 0 skips (default: 20,000; --full: 1,000,000).")
    Long auditEntries;

    @Option(names = "--skip-argon2", description = "Do not time Argon2id unlocks.")
    boolean skipArgon2;

    @Option(names = "--startup", description = "Time --version, list, show, store and recall as new processes, beside java -version.")
    boolean startup;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Durable stores and recalls through the embeddable API as an agent: one thread, N threads (group commit), N threads with group commit off; --ops per thread (default 500).")
    Integer concurrency;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "With --concurrency: make the temporary vault under DIR, to measure the disk your vault lives on (default: the system's temporary directory).")
    Path dir;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "With --startup: another vault launcher to time beside this one (repeatable), e.g. an older build's ./vault for a before/after figure.")
    List<Path> launchers = new ArrayList<>();

    @Option(names = "--backup", description = "Time a full backup and a restore of --memories memories of --content-bytes each (default 2,000; --full 100,000), with their peak heap, beside a plain copy of vault.db; then an incremental after 1%% more memories, and a restore of both.")
    boolean backup;

    @Option(names = "--content-bytes", paramLabel = "N", description = "With --backup: bytes per memory (default: 10,240).")
    Integer contentBytes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "7", description = "With --startup: counted rounds; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        Map<String, Object> report;
        boolean bars = root.io.errIsTerminal() && !root.json;
        if (startup) {
            List<Path> timed = new ArrayList<>();
            String self = System.getProperty("memoryvault.launcher");
            if (self != null && !self.isBlank()) timed.add(Path.of(self));
            timed.addAll(launchers);
            report = new StartupBench(bars ? root.io.err() : new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run(new StartupBench.Options(timed, runs));
        } else if (backup) {
            report = new org.memoryvault.app.bench.BackupBench(bars ? root.io.err() : new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run(new org.memoryvault.app.bench.BackupBench.Options(memories != null ? memories : full ? 100_000 : 2_000,
                            contentBytes != null ? contentBytes : 10_240, java.util.Optional.ofNullable(dir)));
        } else if (concurrency != null) {
            report = new ConcurrencyBench(bars ? root.io.err() : new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run(new ConcurrencyBench.Options(ops != null ? ops : full ? 5_000 : 500, concurrency, java.util.Optional.ofNullable(dir)));
        } else {
            VaultBench.Options options = new VaultBench.Options(
                    memories != null ? memories : full ? 100_000 : 2_000,
                    ops != null ? ops : full ? 5_000 : 500,
                    !skipArgon2,
                    auditEntries != null ? auditEntries : full ? 1_000_000 : 20_000,
                    full);
            report = new VaultBench(root.io.err(), Progress.bars(root.io.err()), bars).run(options);
        }
        root.io.out().println(root.json ? Json.write(report) : pretty(report, ""));
        return 0;
    }

    private static String pretty(Map<?, ?> map, String indent) {
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                b.append(indent).append(k).append(":\n").append(pretty(m, indent + "  "));
            } else if (v instanceof List<?> list) {
                b.append(indent).append(k).append(":\n");
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) b.append(indent).append("  -\n").append(pretty(m, indent + "    "));
                    else b.append(indent).append("  - ").append(o).append('\n');
                }
            } else {
                b.append(indent).append(k).append(": ").append(v).append('\n');
            }
        });
        return indent.isEmpty() ? b.toString().stripTrailing() : b.toString();
    }
}
