package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.RateLimit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vault principal add|list|remove|rotate}: agent principals and their credentials. Adding,
 * rotating and removing are owner ceremonies (the owner's passphrase is proved).
 */
@Command(name = "principal", mixinStandardHelpOptions = true,
        description = "Manage agent principals: each has a clearance and a credential file it presents with --principal-file.",
        subcommands = {PrincipalCommands.Add.class, PrincipalCommands.ListAll.class, PrincipalCommands.Remove.class,
                PrincipalCommands.Rotate.class})
final class PrincipalCommands {
    static Map<String, Object> json(PrincipalRecord p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", p.name());
        o.put("profile", p.profile().value());
        o.put("clearance", p.clearance().level());
        o.put("rate", p.rate().map(RateLimit::text).orElse(null));
        o.put("created_at", Json.time(p.createdAt()));
        return o;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a principal with a new credential file (0600); give the file to the agent, never its bytes on a command line.")
    static final class Add extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "1-64 of A-Z a-z 0-9 . _ -") String name;

        @Option(names = "--clearance", required = true, paramLabel = "LEVEL",
                description = "Highest level it may store and recall (0-5); above 2 only with the owner's approval.")
        String clearance;

        @Option(names = "--rate", paramLabel = "N/UNIT", description = "At most N stores and recalls per s, m, h or d (e.g. 60/m).")
        String rate;

        @Option(names = "--credential-file", paramLabel = "FILE",
                description = "Where to write the credential (default: <vault>/principals/NAME.key).")
        Path credentialFile;

        @Override
        Result execute(Vault vault) {
            PrincipalRecord p = vault.addPrincipal(name, Classification.parse(clearance),
                    Optional.ofNullable(rate).map(RateLimit::parse), Optional.ofNullable(credentialFile));
            Path file = vault.lastCredentialFile();
            Map<String, Object> out = json(p);
            out.put("credential_file", file.toString());
            return new Result(out, "added principal " + p.name() + " (clearance " + p.clearance().level()
                    + "); its credential is " + file + ": give the agent that file (--principal-file or $MEMORY_VAULT_PRINCIPAL_FILE)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List principals (never their credentials).")
    static final class ListAll extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            List<PrincipalRecord> list = vault.component().principals().list();
            StringBuilder text = new StringBuilder();
            for (PrincipalRecord p : list) {
                text.append(p.name()).append("  clearance ").append(p.clearance().level()).append("  profile ").append(p.profile())
                        .append(p.rate().map(r -> "  rate " + r.text()).orElse("")).append('\n');
            }
            return new Result(Map.of("principals", list.stream().map(PrincipalCommands::json).toList()),
                    list.isEmpty() ? "no principals" : text.toString().stripTrailing());
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a principal: its credential opens nothing any more.")
    static final class Remove extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name.") String name;

        @Override
        Result execute(Vault vault) {
            vault.component().principals().remove(name);
            return new Result(Map.of("removed", name), "removed principal " + name);
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give a principal a new credential file; the old one stops working.")
    static final class Rotate extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name.") String name;

        @Option(names = "--credential-file", paramLabel = "FILE",
                description = "Where to write the new credential (default: <vault>/principals/NAME-<time>.key).")
        Path credentialFile;

        @Override
        Result execute(Vault vault) {
            PrincipalRecord p = vault.rotatePrincipal(name, Optional.ofNullable(credentialFile));
            Map<String, Object> out = json(p);
            out.put("credential_file", vault.lastCredentialFile().toString());
            return new Result(out, "rotated the credential of " + p.name() + "; the new one is " + vault.lastCredentialFile());
        }
    }
}
