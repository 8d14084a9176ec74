package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault search}: full-text search over metadata (and recall justifications). */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search metadata (and, with --justifications, recall justifications). Words only: operators are ignored.")
final class SearchCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "Words to find in metadata and justifications (matched as text, not query syntax).") String query;

    @Option(names = "--justifications", description = "Also search recall justifications.") boolean justifications;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit;

    @Override
    Result execute(Vault vault) {
        List<MemoryRepository.SearchHit> hits = vault.component().searchMemories()
                .execute(SearchQuery.parse(query, justifications, limit));
        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> json = hits.stream().map(h -> {
            text.append(h.id()).append("  ").append(h.matchedIn()).append("  ").append(org.memoryvault.adapters.approval.TerminalApprovalGate.printable(h.snippet())).append('\n');
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", h.id().toString());
            o.put("matched_in", h.matchedIn());
            o.put("snippet", h.snippet());
            return o;
        }).toList();
        return new Result(Map.of("hits", json), text.toString().stripTrailing());
    }
}
