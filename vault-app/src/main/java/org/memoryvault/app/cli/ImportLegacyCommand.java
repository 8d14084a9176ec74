package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.usecase.ImportLegacy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault import-legacy --db PATH}: the Python original's vault into this one (docs/IMPORT.md). */
@Command(name = "import-legacy", mixinStandardHelpOptions = true,
        description = {"Import a vault of the Python Memory Vault (its vault.db, read only) into this vault: each memory is opened",
                "with its legacy key and stored here sealed as any memory, keeping its id, level, time, author, metadata, cooldown,",
                "intent and tombstone; its recall history becomes audit entries. The legacy recall log must match its newest Merkle",
                "root, or nothing is imported. A memory that cannot be opened is reported by id; the rest go on. An owner operation.",
                "Passphrase memories cost one Argon2id run (1 GiB, seconds) each. Run again to finish an interrupted import."})
final class ImportLegacyCommand extends VaultCommand {
    @Option(names = "--db", required = true, paramLabel = "PATH", description = "The legacy vault.db (~/.memory_vault/vault.db).")
    Path db;

    @Option(names = "--keyfile-dir", paramLabel = "DIR", description = "Where the legacy key files are, <profile>.key"
            + " (default: the keys directory beside --db).")
    Path keyfileDir;

    @Option(names = "--legacy-passphrase-file", paramLabel = "FILE", description = "The legacy passphrase (0600, one line),"
            + " for memories of passphrase profiles.")
    Path legacyPassphrase;

    @Option(names = "--profile-map", paramLabel = "LEGACY=NEW", split = ",", description = "Put a legacy profile's memories in"
            + " a profile of this vault (default: the owner profile); repeatable, or comma separated.")
    List<String> profileMap = List.of();

    @Option(names = "--dry-run", description = "Open and check everything, report what would be imported, write nothing.")
    boolean dryRun;

    @Override
    Result execute(Vault vault) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : profileMap) {
            int eq = pair.indexOf('=');
            if (eq < 1 || eq == pair.length() - 1 || map.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--profile-map takes LEGACY=NEW pairs, each legacy profile once");
            }
        }
        ImportLegacy.Report r = vault.importLegacy(db, Optional.ofNullable(keyfileDir), Optional.ofNullable(legacyPassphrase), map,
                dryRun, root().countProgress());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dry_run", r.dryRun());
        out.put("memories", r.memories());
        out.put("imported", r.imported());
        out.put("existing", r.existing());
        out.put("tombstones", r.tombstones());
        out.put("failed", r.failures().stream().map(f -> Map.of("memory_id", f.memoryId(), "reason", f.reason())).toList());
        out.put("recalls", r.recalls());
        out.put("recalls_already_imported", r.recallsAlreadyImported());
        out.put("legacy_root", r.legacyRoot().orElse(null));
        out.put("leaves", r.leaves());
        StringBuilder text = new StringBuilder((r.dryRun() ? "would import " : "imported ") + r.imported() + " of " + r.memories()
                + " legacy memories (" + r.existing() + " already here, " + r.failures().size() + " not importable, " + r.tombstones()
                + " tombstoned) and " + r.recalls() + " recalls (" + r.recallsAlreadyImported() + " imported before); legacy root "
                + r.legacyRoot().orElse("none (no recalls)") + " over " + r.leaves() + " leaves checked");
        for (ImportLegacy.Failure f : r.failures()) text.append('\n').append("  not imported: ").append(f.memoryId()).append(": ").append(f.reason());
        return new Result(out, text.toString());
    }
}
