package org.memoryvault.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vault completion bash|zsh}: prints a completion script for every command and option. Load
 * it with {@code source <(vault completion bash)} (zsh: {@code source <(vault completion zsh)}).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(vault completion bash), or zsh.")
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    enum Shell { bash, zsh }

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        String script = AutoComplete.bash("vault", VaultCli.commandLine(new VaultCli(root.io), VaultCli.COMMANDS));
        if (shell == Shell.zsh) script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        root.io.out().print(script);
        root.io.out().flush();
        return 0;
    }
}
