package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.MemoryId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault intent link|unlink|get|search}: IntentLog links between memories and intent ids (docs/FORMAT.md §9). */
@Command(name = "intent", mixinStandardHelpOptions = true,
        description = "IntentLog links: which intents a memory serves, and which memories serve an intent.",
        subcommands = {IntentCommands.Link.class, IntentCommands.Unlink.class, IntentCommands.Get.class, IntentCommands.Search.class})
final class IntentCommands {
    @Command(name = "link", mixinStandardHelpOptions = true,
            description = "Link a memory to an intent id (audited; needs a clearance that reaches the memory's level).")
    static final class Link extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;
        @Parameters(index = "1", paramLabel = "INTENT", description = "The intent id: 1-256 characters.") String intent;

        @Override
        Result execute(Vault vault) {
            boolean added = vault.component().intentLinks().link(MemoryId.parse(id), intent, vault.requester());
            return result(vault, id, added ? "linked " + id + " to " + intent : id + " was linked to " + intent + " already");
        }
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true,
            description = "Remove a link made after the memory was stored (references given at store time stay).")
    static final class Unlink extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;
        @Parameters(index = "1", paramLabel = "INTENT", description = "The intent id.") String intent;

        @Override
        Result execute(Vault vault) {
            boolean removed = vault.component().intentLinks().unlink(MemoryId.parse(id), intent, vault.requester());
            return result(vault, id, removed ? "unlinked " + id + " from " + intent : id + " was not linked to " + intent);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "A memory's intents: those given at store time, then those linked.")
    static final class Get extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;

        @Override
        Result execute(Vault vault) {
            List<String> intents = vault.component().intentLinks().get(MemoryId.parse(id));
            return result(vault, id, String.join("\n", intents));
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Memories with an intent that is PREFIX or starts with it (plain text: %% _ * are not wildcards), newest first.")
    static final class Search extends VaultCommand {
        @Parameters(index = "0", paramLabel = "PREFIX", description = "An intent id or its beginning.") String prefix;

        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most this many, 1-1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        Result execute(Vault vault) {
            List<MemoryId> ids = vault.component().intentLinks().search(prefix, limit);
            return new Result(Map.of("memories", ids.stream().map(MemoryId::toString).toList()),
                    String.join("\n", ids.stream().map(MemoryId::toString).toList()));
        }
    }

    /** Every link command answers with the memory's intents as they are now. */
    private static VaultCommand.Result result(Vault vault, String id, String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("intents", vault.component().intentLinks().get(MemoryId.parse(id)));
        return new VaultCommand.Result(out, text);
    }
}
