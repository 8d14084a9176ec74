package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** The CLI's help as users know picocli's: every option described, exit codes listed, suggestions, global options once. */
class CliHelpTest {
    record Out(int exit, String out, String err) {}

    static Out run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VaultCli.run(args, new VaultCli.Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()));
        return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static CommandLine full() {
        return VaultCli.commandLine(new VaultCli(new VaultCli.Terminal(System.in, System.out, System.err, Map.of())), VaultCli.COMMANDS);
    }

    private static void walk(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().forEach(s -> walk(s, out));
    }

    @Test
    void everyOptionAndParameterOfEveryCommandHasADescription() {
        List<CommandLine> all = new ArrayList<>();
        walk(full(), all);
        List<String> undescribed = new ArrayList<>();
        for (CommandLine c : all) {
            for (ArgSpec a : c.getCommandSpec().args()) {
                if (a.hidden()) continue;
                boolean described = a.description().length > 0 && !String.join("", a.description()).isBlank();
                if (!described) undescribed.add(c.getCommandSpec().qualifiedName() + " " + (a.isOption()
                        ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel()));
            }
            assertThat(c.getCommandSpec().usageMessage().description()).as(c.getCommandSpec().qualifiedName()).isNotEmpty();
        }
        assertThat(undescribed).isEmpty();
        assertThat(all).hasSizeGreaterThan(50);
    }

    @Test
    void everyCommandsHelpListsTheExitCodes_andNamesTheGlobalOptionsOnceInAFooter() {
        List<CommandLine> all = new ArrayList<>();
        walk(full(), all);
        for (CommandLine c : all) {
            String help = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).as(c.getCommandSpec().qualifiedName()).contains("Exit status:").contains("75").contains("approval pending");
            if (c.getCommandSpec().parent() != null) {
                assertThat(help).as(c.getCommandSpec().qualifiedName()).doesNotContain("--vault=").contains("vault --help");
            }
        }
        assertThat(run("--help").out()).contains("--vault=DIR").contains("--passphrase-file=FILE");
    }

    @Test
    void aMistypedCommandOrOption_getsSuggestions_andExit2() {
        Out stor = run("stor");
        assertThat(stor.exit()).isEqualTo(2);
        assertThat(stor.err()).contains("did you mean").contains("store");
        Out option = run("list", "--limt", "3");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).contains("--limit");
        Out required = run("recall", "00000000-0000-4000-8000-000000000000", "--justificaton", "x");
        assertThat(required.exit()).isEqualTo(2);
        assertThat(required.err()).contains("did you mean --justification?");
    }

    @Test
    void aGroupWithoutItsSubcommand_listsThem() {
        Out profile = run("profile");
        assertThat(profile.exit()).isEqualTo(2);
        assertThat(profile.err()).contains("create").contains("add-slot").contains("upgrade");
        assertThat(run("config").err()).contains("unset");
    }

    @Test
    void helpAndVersion_needNoVault() {
        assertThat(run("--version").out()).startsWith("memory-vault ");
        Out help = run("--help");
        assertThat(help.exit()).isZero();
        for (Class<?> c : VaultCli.COMMANDS) {
            assertThat(help.out()).contains(c.getAnnotation(CommandLine.Command.class).name());
        }
    }

    @Test
    void everyCommandsSummary_isAWholeSentence_atEveryLevel() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"profile", "--help"}, new String[] {"backup", "--help"},
                new String[] {"token", "enroll", "--help"}, new String[] {"proof", "--help"}, new String[] {"audit", "--help"})) {
            String help = run(args).out();
            String list = help.substring(help.indexOf("Commands:") + "Commands:".length());
            if (list.contains("Exit status:")) list = list.substring(0, list.indexOf("Exit status:"));
            // one entry per command: its name at the two-space indent, continuation lines indented further
            for (String entry : list.strip().split("\\n(?=  \\S)|^(?=\\S)")) {
                String summary = entry.strip().replaceAll("\\s+", " ");
                if (summary.isEmpty()) continue;
                assertThat(summary).as(String.join(" ", args)).endsWith(".");
            }
        }
    }

    @Test
    void completion_printsAScriptForBashAndZsh_withEveryCommand() {
        Out bash = run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("add-slot").contains("purge-ephemeral").contains("--new-passphrase-file");
        Out zsh = run("completion", "zsh");
        assertThat(zsh.out()).contains("bashcompinit");
        assertThat(run("completion", "fish").exit()).isEqualTo(2);
    }

    @Test
    void onlyTheNamedCommandIsBuilt_soAShortRunSkipsTheRest() {
        assertThat(VaultCli.commandNamed(new String[] {"--vault", "store", "list", "--json"})).contains(ListCommand.class);
        assertThat(VaultCli.commandNamed(new String[] {"--json", "recall", "x"})).contains(RecallCommand.class);
        assertThat(VaultCli.commandNamed(new String[] {"stor"})).isEmpty();
        assertThat(VaultCli.commandNamed(new String[] {"--help"})).isEmpty();
    }
}
