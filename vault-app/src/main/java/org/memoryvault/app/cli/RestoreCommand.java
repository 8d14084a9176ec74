package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.usecase.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault restore FILE...}: a full backup and its incrementals into a new vault directory, all or nothing (docs/FORMAT.md §14). */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a full backup, and then any incrementals after it, into the vault directory (--vault or $MEMORY_VAULT_HOME),",
                "which must not hold a vault yet. Give the incrementals in the order they were made: each must follow the file before it.",
                "Everything is written beside it and checked first (the backup's authentication, its audit log against its",
                "checkpoints, the owner's seal); only then is it moved into place. Key files are not in a backup: keep them."})
final class RestoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The full backup, then its incrementals in order (all under the same secret).")
    java.util.List<Path> files;

    @Option(names = "--backup-passphrase-file", paramLabel = "FILE", description = BackupCommands.PASSPHRASE_HELP)
    Path passphrase;

    @Option(names = "--identity", paramLabel = "FILE", description = BackupCommands.IDENTITY_HELP) Path identity;

    @Option(names = "--allow-unsigned", description = "Restore a backup that carries no owner signature (one made before backups"
            + " were signed); a backup signed by another key is refused whatever this says.")
    boolean allowUnsigned;

    @Option(names = "--dry-run", description = "Read and check everything as a restore would, then leave the directory as it was.")
    boolean dryRun;

    @Option(names = "--merge", description = {"Merge the backup (a full one, then its incrementals) into the existing vault, which",
            "it must be a backup of: memories new here are added with their recalls and links, identical ones skipped; one that",
            "differs is refused unless --prefer says which side wins. The backup is restored and checked beside the vault first."})
    boolean merge;

    @Option(names = "--prefer", paramLabel = "vault|backup", description = "With --merge: for a memory that differs, keep this"
            + " vault's (vault) or take the backup's (backup, which can undo a tombstone or a shred).")
    String prefer;

    @Option(names = "--legacy", description = {"FILE is a backup of the Python Memory Vault (its JSON container): its memories are",
            "imported into the vault, which must exist (vault init first), as vault import-legacy --backup does (docs/IMPORT.md)."})
    boolean legacy;

    @Option(names = "--keyfile-dir", paramLabel = "DIR", description = "With --legacy: where the legacy key files are, <profile>.key.")
    Path keyfileDir;

    @Option(names = "--legacy-passphrase-file", paramLabel = "FILE", description = "With --legacy: the legacy passphrase, for"
            + " memories of passphrase profiles.")
    Path legacyPassphrase;

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        if (legacy && (merge || prefer != null)) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "--legacy imports; --merge and --prefer do not go with it");
        }
        if (legacy) return legacy(root);
        if (merge && (keyfileDir != null || legacyPassphrase != null)) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "--keyfile-dir and --legacy-passphrase-file go with --legacy");
        }
        if (merge) return merge(root);
        if (prefer != null) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "--prefer goes with --merge");
        }
        if (keyfileDir != null || legacyPassphrase != null) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "--keyfile-dir and --legacy-passphrase-file go with --legacy");
        }
        Backups.Summary s = Vault.restore(root.options(), files, java.util.Optional.ofNullable(passphrase),
                java.util.Optional.ofNullable(identity), dryRun, allowUnsigned,
                root.byteProgress());
        Map<String, Object> out = BackupCommands.json(s);
        out.put("vault", root.options().home().toString());
        out.put("dry_run", dryRun);
        out.put("files_restored", files.size());
        root.io.out().println(root.json ? Json.write(out)
                : BackupCommands.text(dryRun ? "would restore" : "restored", s) + (dryRun ? "" : " into " + root.options().home()));
        return 0;
    }

    private int legacy(VaultCli root) {
        if (files.size() != 1 || passphrase == null || identity != null || allowUnsigned) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "restore --legacy takes one FILE and --backup-passphrase-file (a legacy backup has no age form or signature)");
        }
        try (Vault vault = Vault.open(root.options())) {
            vault.showNotices(root.noticePrinter());
            vault.component().ownerSeals().check();
            var r = vault.run("restore --legacy", () -> vault.importLegacy(files.get(0), java.util.Optional.of(passphrase),
                    java.util.Optional.ofNullable(keyfileDir), java.util.Optional.ofNullable(legacyPassphrase), Map.of(), dryRun,
                    false, root.countProgress()));
            vault.finish().ifPresent(note -> root.io.err().println("vault: note: " + note));
            VaultCommand.Result result = ImportLegacyCommand.report(r);
            root.io.out().println(root.json ? Json.write(result.json()) : result.text());
        }
        return 0;
    }

    private int merge(VaultCli root) {
        org.memoryvault.domain.port.BackupRows.Prefer side = switch (prefer == null ? "" : prefer) {
            case "" -> org.memoryvault.domain.port.BackupRows.Prefer.NONE;
            case "vault" -> org.memoryvault.domain.port.BackupRows.Prefer.VAULT;
            case "backup" -> org.memoryvault.domain.port.BackupRows.Prefer.BACKUP;
            default -> throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "--prefer is vault or backup");
        };
        Vault.Merged m = Vault.merge(root.options(), files, java.util.Optional.ofNullable(passphrase), java.util.Optional.ofNullable(identity),
                allowUnsigned, side, dryRun, root.byteProgress());
        var r = m.report();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("dry_run", dryRun);
        out.put("backup_id", m.backup().backupId());
        out.put("inserted", r.inserted());
        out.put("identical", r.identical());
        out.put("conflicting", r.conflicting());
        out.put("conflicts", r.conflicts());
        out.put("replaced", r.replaced());
        out.put("incompatible", r.incompatible());
        out.put("recalls", r.recalls());
        out.put("links", r.links());
        String text = (dryRun ? "would merge" : "merged") + " backup " + m.backup().backupId() + " into " + root.options().home() + ": "
                + r.inserted() + " memories added (" + r.recalls() + " recalls, " + r.links() + " intent links), " + r.identical()
                + " identical, " + r.conflicting() + " differing (" + (side == org.memoryvault.domain.port.BackupRows.Prefer.BACKUP
                ? r.replaced() + " taken from the backup" : "this vault's kept") + "), " + r.incompatible()
                + " left out (their profile was re-keyed or bound here since)"
                + (r.conflicts().isEmpty() ? "" : "; differing: " + String.join(" ", r.conflicts()));
        root.io.out().println(root.json ? Json.write(out) : text);
        return 0;
    }
}
