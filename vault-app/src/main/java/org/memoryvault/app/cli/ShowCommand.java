package org.memoryvault.app.cli;

import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vault show}: a memory's metadata and state, never its content. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a memory's metadata (never its content).")
final class ShowCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;

    @Override
    Result execute(Vault vault) {
        Memory m = vault.component().showMemory().execute(MemoryId.parse(id));
        Map<String, Object> json = Json.memory(m);
        StringBuilder text = new StringBuilder();
        json.forEach((k, v) -> text.append(String.format("%-20s %s%n", k + ":", v == null ? "null" : v instanceof String str ? str : Json.write(v))));
        return new Result(json, text.toString().stripTrailing());
    }
}
