package org.memoryvault.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * {@code vault bench --startup}: the wall time of short CLI commands, each a new process, side by
 * side with a bare {@code java -version} (the yardstick) in the same run. Every launcher given
 * (this build's {@code ./vault}, and for a before/after figure an older build's) gets its own
 * temporary vault; the commands run interleaved, round after round, and the median of the rounds is
 * reported (the first round only warms the page cache and is not counted).
 */
public final class StartupBench {
    /** The launchers to time ({@code vault} scripts) and the number of counted rounds. */
    public record Options(List<Path> launchers, int runs) {}

    private static final List<String> COMMANDS = List.of("version", "list", "show", "store", "recall");

    private final java.io.PrintStream progress;

    public StartupBench(java.io.PrintStream progress) { this.progress = progress; }

    public Map<String, Object> run(Options options) {
        if (options.launchers().isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no launcher to time: run it as ./vault bench --startup, or give --launcher PATH");
        }
        if (options.runs() < 1 || options.runs() > 1000) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--runs must be 1 to 1000");
        return VaultBench.inScratchDirectory(java.util.Optional.empty(), "vault-startup", dir -> measure(dir, options));
    }

    private Map<String, Object> measure(Path dir, Options options) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<List<List<String>>> commands = new ArrayList<>();      // per launcher, per command: the argv
        for (int l = 0; l < options.launchers().size(); l++) {
            String launcher = options.launchers().get(l).toAbsolutePath().toString();
            String vault = dir.resolve("vault-" + l).toString();
            exec(List.of(launcher, "--vault", vault, "init", "--kdf-preset", "interactive"));
            String id = exec(List.of(launcher, "--vault", vault, "store", "--content", "startup bench")).strip();
            commands.add(List.of(List.of(launcher, "--version"), List.of(launcher, "--vault", vault, "list"),
                    List.of(launcher, "--vault", vault, "show", id), List.of(launcher, "--vault", vault, "store", "--content", "startup"),
                    List.of(launcher, "--vault", vault, "recall", id, "--justification", "startup bench")));
        }
        List<String> yardstick = List.of(java, "-version");
        long[] javaTimes = new long[options.runs()];
        long[][][] times = new long[options.launchers().size()][COMMANDS.size()][options.runs()];
        for (int round = -1; round < options.runs(); round++) {
            progress.print("\rstartup bench: round " + (round + 2) + " of " + (options.runs() + 1));
            progress.flush();
            long t = time(yardstick);
            if (round >= 0) javaTimes[round] = t;
            for (int l = 0; l < commands.size(); l++) {
                for (int c = 0; c < COMMANDS.size(); c++) {
                    long ms = time(commands.get(l).get(c));
                    if (round >= 0) times[l][c][round] = ms;
                }
            }
        }
        progress.println();
        Map<String, Object> report = new LinkedHashMap<>();
        long javaMedian = median(javaTimes);
        report.put("runs", options.runs());
        report.put("java_version_ms", javaMedian);
        List<Map<String, Object>> launchers = new ArrayList<>();
        for (int l = 0; l < commands.size(); l++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("launcher", options.launchers().get(l).toAbsolutePath().toString());
            Map<String, Object> byCommand = new LinkedHashMap<>();
            for (int c = 0; c < COMMANDS.size(); c++) {
                long m = median(times[l][c]);
                Map<String, Object> figure = new LinkedHashMap<>();
                figure.put("median_ms", m);
                figure.put("over_java_version", Math.round(m * 10.0 / Math.max(1, javaMedian)) / 10.0);
                byCommand.put(COMMANDS.get(c), figure);
            }
            one.put("commands", byCommand);
            launchers.add(one);
        }
        report.put("launchers", launchers);
        return report;
    }

    /** The wall time of one run of {@code argv}, in milliseconds; its output is discarded. */
    private static long time(List<String> argv) {
        long start = System.nanoTime();
        int exit;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            scrub(pb);
            Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            exit = p.waitFor();
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        }
        if (exit != 0) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "`" + String.join(" ", argv) + "` exited " + exit);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Runs {@code argv} once and returns its stdout; a failure is an error naming the command. */
    private static String exec(List<String> argv) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            scrub(pb);
            Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "`" + String.join(" ", argv) + "` failed");
            return out;
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        }
    }

    /** The timed commands get none of the caller's vault variables (a session, a passphrase file, a credential). */
    private static void scrub(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("MEMORY_VAULT_"));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
