package org.memoryvault.app.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault list}: memories' metadata, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List memories (metadata only), newest first.")
final class ListCommand extends VaultCommand {
    @Option(names = {"-c", "--classification"}, paramLabel = "LEVEL", description = "Only this level.") String classification;

    @Option(names = "--tombstoned", description = "Include tombstoned memories.") boolean tombstoned;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit;

    @Override
    Result execute(Vault vault) {
        MemoryFilter filter = new MemoryFilter(Optional.ofNullable(classification).map(Classification::parse), tombstoned, limit);
        List<Memory> memories = vault.component().listMemories().execute(filter);
        StringBuilder text = new StringBuilder();
        for (Memory m : memories) {
            text.append(m.id()).append("  ").append(m.classification().level()).append("  ").append(Json.time(m.createdAt()))
                    .append("  ").append(m.profile()).append(m.isTombstoned() ? "  [tombstoned]" : "")
                    .append("  ").append(m.metadata().json()).append('\n');
        }
        return new Result(Map.of("memories", memories.stream().map(Json::memory).toList()), text.toString().stripTrailing());
    }
}
