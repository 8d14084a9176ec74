package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.usecase.TombstoneMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault tombstone}: makes a memory permanently unrecallable; {@code --shred} destroys its ciphertext. */
@Command(name = "tombstone", mixinStandardHelpOptions = true, description = "Permanently retire a memory.")
final class TombstoneCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, kept with the tombstone and in the audit log.") String reason;

    @Option(names = "--shred", description = "Also destroy the ciphertext (crypto-shred); the commitment and audit history stay.")
    boolean shred;

    @Option(names = "--by", defaultValue = "owner", paramLabel = "NAME", description = "Who, kept in the audit log (default: ${DEFAULT-VALUE}).") String by;

    @Override
    Result execute(Vault vault) {
        MemoryId memoryId = MemoryId.parse(id);
        long index = vault.component().tombstoneMemory().execute(new TombstoneMemory.Request(memoryId, reason, by, shred));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", memoryId.toString());
        out.put("shredded", shred);
        out.put("audit_index", index);
        return new Result(out, "tombstoned " + memoryId + (shred ? " (ciphertext shredded)" : ""));
    }
}
