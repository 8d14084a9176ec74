package org.memoryvault.app.cli;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault config get|set|list}: reads and writes config.toml (keys in docs/CONFIG.md). */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Read and write the vault's configuration.",
        subcommands = {ConfigCommands.Get.class, ConfigCommands.Set.class, ConfigCommands.ListAll.class})
final class ConfigCommands {
    @Command
    abstract static class ConfigCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        VaultCli root() { return (VaultCli) spec.root().userObject(); }

        VaultConfig config() {
            var home = root().options().home();
            if (!Files.isDirectory(home)) {
                throw new InvalidInputException(ErrorCode.STORAGE_NOT_INITIALISED, "no vault at " + home + "; run `vault init`");
            }
            return VaultConfig.load(home);
        }

        int print(Map<String, ?> json, String text) {
            root().io.out().println(root().json ? Json.write(json) : text);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print one key's effective value.")
    static final class Get extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "KEY") String key;

        @Override public Integer call() {
            String v = config().get(key);
            return print(Map.of("key", key, "value", v), v);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Validate and set one key. Needs the owner's secret (a passphrase once the owner profile has one); audited.")
    static final class Set extends VaultCommand {
        @Parameters(index = "0", paramLabel = "KEY") String key;
        @Parameters(index = "1", paramLabel = "VALUE") String value;

        @Override
        Result execute(org.memoryvault.app.wiring.Vault vault) {
            vault.setConfig(key, value);
            return new Result(Map.of("key", key, "value", value), key + " = " + value);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every key with its effective value.")
    static final class ListAll extends ConfigCommand {
        @Override public Integer call() {
            Map<String, String> all = new LinkedHashMap<>(config().effective());
            StringBuilder text = new StringBuilder();
            all.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
            return print(all, text.toString().stripTrailing());
        }
    }
}
