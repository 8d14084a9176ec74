package org.memoryvault.app.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.app.bench.VaultBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vault bench}: measures stores/s, recalls/s, latency, Argon2id unlock time and heap in a temporary vault. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the real adapters in a temporary vault (never your vault).")
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--memories", defaultValue = "100000", description = "Memories stored in batches first (default: ${DEFAULT-VALUE}).")
    int memories;

    @Option(names = "--ops", defaultValue = "5000", description = "Single stores and recalls measured per profile (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--audit-entries", defaultValue = "1000000",
            description = "Grow a second vault's audit log to this many entries, compare recalls/s and time a full verify; 0 skips (default: ${DEFAULT-VALUE}).")
    long auditEntries;

    @Option(names = "--skip-argon2", description = "Do not time Argon2id unlocks (the sensitive preset takes seconds and 1 GiB).")
    boolean skipArgon2;

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        Map<String, Object> report = new VaultBench(root.io.err()).run(new VaultBench.Options(memories, ops, !skipArgon2, auditEntries));
        root.io.out().println(root.json ? Json.write(report) : pretty(report, ""));
        return 0;
    }

    private static String pretty(Map<?, ?> map, String indent) {
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) b.append(indent).append(k).append(":\n").append(pretty(m, indent + "  "));
            else b.append(indent).append(k).append(": ").append(v).append('\n');
        });
        return indent.isEmpty() ? b.toString().stripTrailing() : b.toString();
    }
}
