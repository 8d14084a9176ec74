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
    @Option(names = "--db", paramLabel = "PATH", description = "The legacy vault.db (~/.memory_vault/vault.db).")
    Path db;

    @Option(names = "--backup", paramLabel = "FILE", description = "Instead of --db: a backup file of the Python vault (its JSON"
            + " container), with --backup-passphrase-file; it holds memories, no recall log.")
    Path backup;

    @Option(names = "--backup-passphrase-file", paramLabel = "FILE", description = "The passphrase of the legacy --backup (0600).")
    Path backupPassphrase;

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

    @Option(names = "--trust-legacy-levels", description = {"Keep a passphrase memory's legacy level even below 3. Without it such a",
            "memory comes over at level 3: its level was a column anyone who could write the legacy vault.db could lower."})
    boolean trustLegacyLevels;

    @Override
    Result execute(Vault vault) {
        if ((db == null) == (backup == null) || (backup != null) != (backupPassphrase != null)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "give --db PATH, or --backup FILE with --backup-passphrase-file F");
        }
        ImportLegacy.Report r = vault.importLegacy(db != null ? db : backup, Optional.ofNullable(backupPassphrase),
                Optional.ofNullable(keyfileDir), Optional.ofNullable(legacyPassphrase), profileMap(profileMap), dryRun,
                trustLegacyLevels, root().countProgress());
        return report(r);
    }

    /** {@code LEGACY=NEW} pairs, each legacy profile once. */
    static Map<String, String> profileMap(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 1 || eq == pair.length() - 1 || map.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--profile-map takes LEGACY=NEW pairs, each legacy profile once");
            }
        }
        return map;
    }

    /** The report as JSON and text (also for {@code vault restore --legacy}). */
    static Result report(ImportLegacy.Report r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dry_run", r.dryRun());
        out.put("memories", r.memories());
        out.put("imported", r.imported());
        out.put("existing", r.existing());
        out.put("tombstones", r.tombstones());
        out.put("failed", r.failures().stream().map(f -> Map.of("memory_id", f.memoryId(), "reason", f.reason())).toList());
        out.put("content_missing", r.contentMissing());
        out.put("levels_raised", r.levelsRaised());
        out.put("recovered_with_another_key", r.recoveredWithAnotherKey());
        out.put("recalls", r.recalls());
        out.put("recalls_already_imported", r.recallsAlreadyImported());
        out.put("legacy_root", r.legacyRoot().orElse(null));
        out.put("leaves", r.leaves());
        StringBuilder text = new StringBuilder((r.dryRun() ? "would import " : "imported ") + r.imported() + " of " + r.memories()
                + " legacy memories (" + r.existing() + " already here, " + r.failures().size() + " not importable, " + r.tombstones()
                + " tombstoned, " + r.contentMissing().size() + " without content, " + r.levelsRaised() + " raised to level 3, "
                + r.recoveredWithAnotherKey() + " opened with another memory's key) and " + r.recalls() + " recalls (" + r.recallsAlreadyImported() + " imported before); legacy root "
                + r.legacyRoot().orElse("none (no recalls)") + " over " + r.leaves() + " leaves checked");
        for (ImportLegacy.Failure f : r.failures()) text.append('\n').append("  not imported: ").append(f.memoryId()).append(": ").append(f.reason());
        for (String id : r.contentMissing()) {
            text.append('\n').append("  metadata only: ").append(id).append(": its content was not in the legacy source (kept as a shredded tombstone)");
        }
        return new Result(out, text.toString());
    }
}
