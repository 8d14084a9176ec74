package org.memoryvault.app.cli;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault config get|set|list}: reads and writes config.toml (keys in docs/CONFIG.md). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Read and write the vault's configuration (<vault>/config.toml; keys: docs/CONFIG.md).",
                "Changes need the owner's secret, are audited, and are refused during lockdown."},
        subcommands = {ConfigCommands.Get.class, ConfigCommands.Set.class, ConfigCommands.Unset.class, ConfigCommands.ListAll.class})
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
        @Parameters(index = "0", paramLabel = "KEY", description = "A key of docs/CONFIG.md, e.g. approval.gate.") String key;

        @Override public Integer call() {
            String v = config().get(key);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("value", ConfigKey.typed(key, v));
            return print(out, v);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Validate and set one key. Needs the owner's secret (a passphrase once the owner profile has one); audited.")
    static final class Set extends VaultCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "A key of docs/CONFIG.md, e.g. approval.gate.") String key;
        @Parameters(index = "1", paramLabel = "VALUE", description = "Its new value, checked against the key's type.") String value;

        @Override boolean repairsConfig() { return true; }

        @Override
        Result execute(org.memoryvault.app.wiring.Vault vault) {
            vault.setConfig(key, value);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("value", ConfigKey.typed(key, value));
            return new Result(out, key + " = " + value);
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Remove one key from config.toml (its default applies again); also removes an unknown or invalid key. Owner's secret; audited.")
    static final class Unset extends VaultCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The key to remove.") String key;

        @Override boolean repairsConfig() { return true; }

        @Override
        Result execute(org.memoryvault.app.wiring.Vault vault) {
            vault.unsetConfig(key);
            String now = vault.config().effective().getOrDefault(key, "");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("removed", true);
            out.put("value", ConfigKey.typed(key, now));
            return new Result(out, "removed " + key + (now.isEmpty() && ConfigKey.find(key).isEmpty() ? "" : "; now " + key + " = " + now));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print every key with its effective value, and any unknown or invalid key of config.toml (ignored until repaired).")
    static final class ListAll extends ConfigCommand {
        @Override public Integer call() {
            VaultConfig config = config();
            Map<String, Object> settings = new LinkedHashMap<>();
            StringBuilder text = new StringBuilder();
            config.effective().forEach((k, v) -> {
                settings.put(k, ConfigKey.typed(k, v));
                text.append(k).append(" = ").append(v).append('\n');
            });
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("file", config.file().toString());
            json.put("settings", settings);
            java.util.List<Map<String, Object>> problems = new java.util.ArrayList<>();
            if (!config.problems().isEmpty()) {
                for (VaultConfig.Problem p : config.problems().values()) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("key", p.key());
                    o.put("line", p.line());
                    o.put("reason", p.reason());
                    problems.add(o);
                    text.append("problem: ").append(p.describe(config.file())).append('\n');
                }
            }
            json.put("problems", problems);
            return print(json, text.toString().stripTrailing());
        }
    }
}
