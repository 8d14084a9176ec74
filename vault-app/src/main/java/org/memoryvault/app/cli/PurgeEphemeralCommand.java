package org.memoryvault.app.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.usecase.PurgeEphemeral;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault purge-ephemeral}: deletes level-0 memories older than the TTL. */
@Command(name = "purge-ephemeral", mixinStandardHelpOptions = true, description = "Delete expired level-0 memories.")
final class PurgeEphemeralCommand extends VaultCommand {
    @Option(names = "--max-age", paramLabel = "DURATION", description = "Older than this (default: ephemeral.ttl, 24h).")
    String maxAge;

    @Override
    Result execute(Vault vault) {
        Duration age = maxAge != null ? Durations.parse(maxAge) : vault.config().duration(ConfigKey.EPHEMERAL_TTL);
        List<MemoryId> purged = vault.component().purgeEphemeral().execute(new PurgeEphemeral.Request(age));
        return new Result(Map.of("purged", purged.stream().map(MemoryId::toString).toList()),
                "purged " + purged.size() + " ephemeral memories");
    }
}
