package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fuzz harness for command-line values (docs/TESTING.md): a real vault made once, then per input a
 * fresh copy of it and one command line built from the CLI's own command and option names and
 * fuzzed words, run in-process. Contract: the run ends within a bounded time with one of the vault's
 * documented exit codes other than internal error (0, 2, 3, 4, 5, 75) and no stack trace, and the
 * vault then still passes `vault verify`. Options that write files (and {@code --vault}) get a
 * path inside the case's own directory, so the fuzzer cannot write outside it; {@code bench} is
 * left out (it runs for as long as it is asked to).
 */
class CliArgsFuzzTest {
    private static final Path TEMPLATE = template();
    private static final Set<String> WRITES_FILE = Set.of("--vault", "--out", "--output", "--new-key-file", "--credential-file",
            "--launcher");
    private static final List<String> WORDS = words();
    private static final Set<Integer> ALLOWED = Set.of(0, 2, 3, 4, 5, 75);

    private static Path template() {
        try {
            Path dir = ScratchDirs.create("cliargs-fuzz").resolve("template");
            Launcher.initInProcess(dir, java.util.Optional.empty(), true);
            ScratchDirs.run(dir, "store", "-c", "1", "--content", "one", "--metadata", "{\"topic\":\"fuzz\"}");
            ScratchDirs.run(dir, "store", "-c", "3", "--content", "three");
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every command and option name the CLI knows, and values that have broken parsers before. */
    private static List<String> words() {
        Set<String> words = new TreeSet<>();
        collect(VaultCli.commandLine(new VaultCli(ScratchDirs.terminal(new ByteArrayOutputStream(), new ByteArrayOutputStream())), VaultCli.COMMANDS),
                words);
        words.remove("bench");
        words.addAll(List.of("0", "3", "5", "6", "-1", "9223372036854775808", "1e999999", "NaN", "{}", "[]", "{\"a\":", "true",
                "10m", "P1D", "-", "--", "@/dev/zero", "/dev/zero", "/dev/stdin", "kdf.preset", "lockdown.exit-secret",
                "principals.x.y", "default", "passphrase", "keyfile", "bash", "zsh", ""));
        return List.copyOf(words);
    }

    private static void collect(CommandLine cli, Set<String> words) {
        words.add(cli.getCommandName());
        for (OptionSpec o : cli.getCommandSpec().options()) words.addAll(List.of(o.names()));
        cli.getSubcommands().values().forEach(sub -> collect(sub, words));
    }

    @FuzzTest(maxDuration = "30s")
    void commandLine(FuzzedDataProvider data) throws Exception {
        Path work = ScratchDirs.create("cliargs-case");
        try {
            Path vault = work.resolve("vault");
            ScratchDirs.copy(TEMPLATE, vault);
            List<String> args = new ArrayList<>(List.of("--vault", vault.toString()));
            int n = data.consumeInt(0, 8);
            for (int i = 0; i < n; i++) args.add(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(40));
            confine(args, work);
            if (args.subList(2, args.size()).contains("bench")) return;
            ScratchDirs.Out o = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ScratchDirs.run(args.toArray(String[]::new)));
            assertThat(ALLOWED).as(args + " " + o).contains(o.exit());
            assertThat(o.err()).as(args.toString()).doesNotContain("Exception").doesNotContain("\tat ");
            ScratchDirs.Out verify = ScratchDirs.run(vault, "verify");
            assertThat(verify.exit()).as("vault verify after " + args + ": " + verify).isZero();
        } finally {
            ScratchDirs.delete(work);
        }
    }

    /** Found by this harness: "@/dev/zero" made picocli read that file as arguments, forever. */
    @org.junit.jupiter.api.Test
    void anArgumentStartingWithAtIsLiteral() throws Exception {
        Path work = ScratchDirs.create("cliargs-at");
        try {
            Path vault = work.resolve("vault");
            ScratchDirs.copy(TEMPLATE, vault);
            ScratchDirs.Out o = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ScratchDirs.run(vault, "search", "@/dev/zero", "--json"));
            assertThat(o.exit()).as(o.toString()).isZero();
            assertThat(o.out()).contains("[]");
        } finally {
            ScratchDirs.delete(work);
        }
    }

    /**
     * Found by this harness: a path with a NUL character was refused with the JDK's exception in the
     * message. And an empty path was taken as the current directory ({@code --vault ""} looked for a
     * vault there).
     */
    @org.junit.jupiter.api.Test
    void emptyAndNulPathsAreRefusedInPlainWords() {
        ScratchDirs.Out empty = ScratchDirs.run(TEMPLATE, "--key-file", "", "list");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("--key-file").contains("a path cannot be empty").doesNotContain("Exception");
        ScratchDirs.Out nul = ScratchDirs.run(TEMPLATE, "--principal-file", "a\0b", "list");
        assertThat(nul.exit()).isEqualTo(2);
        assertThat(nul.err()).contains("a path cannot contain a NUL character").doesNotContain("Exception");
    }

    /** Every value of an option that writes a file becomes a path in the case's directory (also for {@code --opt=value}). */
    private static void confine(List<String> args, Path work) {
        for (int i = 2; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && WRITES_FILE.contains(a.substring(0, eq))) {
                args.set(i, a.substring(0, eq + 1) + work.resolve("out" + i));
            } else if (WRITES_FILE.contains(a) && i + 1 < args.size()) {
                args.set(++i, work.resolve("out" + i).toString());
            }
        }
    }
}
