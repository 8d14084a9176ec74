package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.usecase.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault backup create|verify|list} (docs/FORMAT.md §14). */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Encrypted backups of the vault: every row (keys only as wrapped in their slots), config.toml and the audit keys;",
                "or, --incremental, what changed since the last backup, which it names by its file's SHA-256."},
        subcommands = {BackupCommands.Create.class, BackupCommands.Verify.class, BackupCommands.ListBackups.class})
final class BackupCommands {
    static final String PASSPHRASE_HELP = "File (0600) holding the backup's own passphrase (not the owner's; Argon2id at kdf.preset"
            + " when a backup is made, at the cost the file records when one is read).";
    static final String IDENTITY_HELP = "For a backup made with --recipient: an age identity file (0600; AGE-SECRET-KEY-1... lines, as age-keygen writes).";

    static Map<String, Object> json(Backups.Summary s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("backup_id", s.backupId());
        o.put("vault_id", s.vaultId());
        o.put("created_at", Json.time(s.createdAt()));
        o.put("kind", s.kind());
        o.put("sha256", s.sha256());
        s.parent().ifPresent(p -> o.put("parent_sha256", p));
        if (s.incremental()) o.put("deletions", s.deletions());
        o.put("schema", s.schema());
        o.put("protection", s.protection());
        s.signer().ifPresent(k -> o.put("signed_by", k));
        s.description().ifPresent(d -> o.put("description", d));
        o.put("rows", s.rows());
        o.put("files", s.files());
        o.put("rows_by_table", new java.util.TreeMap<>(s.rowsByTable()));
        return o;
    }

    static String text(String verb, Backups.Summary s) {
        return verb + " backup " + s.backupId() + " of vault " + s.vaultId() + " (" + s.kind() + ", " + Json.time(s.createdAt()) + "): "
                + (s.incremental() ? "after " + s.parent().orElseThrow().substring(0, 16) + "..., " + (s.rows() - s.deletions())
                        + " rows new or changed and " + s.deletions() + " deleted (" + s.rowsByTable().getOrDefault("memories", 0L)
                        + " of them of memories)"
                        : s.rowsByTable().getOrDefault("memories", 0L) + " memories, " + s.rows() + " rows")
                + ", " + s.files() + " files; sha256 " + s.sha256() + "; "
                + s.signer().map(k -> "signed by owner seal key " + k.substring(0, 16) + "... (a restore checks it is the owner's)")
                        .orElse("not signed (made before backups were signed)");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Write a backup of the vault to a new file (0600): full,",
            "or with --incremental only the changes since the newest backup this vault made or was restored from."})
    static final class Create extends VaultCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file to create (refused if it exists).") Path file;

        @Option(names = "--backup-passphrase-file", paramLabel = "FILE", description = PASSPHRASE_HELP) Path passphrase;

        @Option(names = "--recipient", paramLabel = "AGE1...", description = {"Instead of a passphrase: encrypt to this age X25519"
                + " recipient (repeat for several). The file is a standard age file: 'age -d -i key.txt' opens it (docs/RECOVERY.md)."})
        List<String> recipients = new java.util.ArrayList<>();

        @Option(names = "--incremental", description = {"Only what changed (rows new, changed or deleted) since the newest backup"
                + " this vault made or was restored from, its parent; restore the full backup and every incremental after it, in order."})
        boolean incremental;

        @Option(names = "--description", paramLabel = "TEXT", description = "A note kept in the backup's header (in the clear;"
                + " inside the encryption for an age backup).") String description;

        @Override
        Result execute(Vault vault) {
            Backups.Summary s = vault.createBackup(file, Optional.ofNullable(passphrase), recipients, Optional.ofNullable(description),
                    incremental, root().byteProgress());
            Map<String, Object> out = json(s);
            out.put("file", file.toString());
            return new Result(out, text("wrote", s) + " to " + file);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Read a whole backup and check it (every chunk's authentication, the records, the counts); writes nothing.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.") Path file;

        @Option(names = "--backup-passphrase-file", paramLabel = "FILE", description = PASSPHRASE_HELP) Path passphrase;

        @Option(names = "--identity", paramLabel = "FILE", description = IDENTITY_HELP) Path identity;

        @Override
        public Integer call() {
            VaultCli root = (VaultCli) spec.root().userObject();
            Backups.Summary s = Vault.verify(file, Optional.ofNullable(passphrase), Optional.ofNullable(identity), root.byteProgress());
            root.io.out().println(root.json ? Json.write(json(s)) : text("verified", s));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the backups this vault wrote (from its audit log).")
    static final class ListBackups extends VaultCommand {
        @Option(names = "--limit", defaultValue = "50", description = "At most this many, the newest (default: ${DEFAULT-VALUE}).") int limit;

        @Override
        Result execute(Vault vault) {
            var records = vault.component().auditQueries().log(Optional.empty(), Optional.of("backup.create"), limit);
            StringBuilder text = new StringBuilder(records.isEmpty() ? "no backups recorded" : "");
            List<Object> json = records.stream().map(r -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("index", r.index());
                o.put("at", Json.time(r.at()));
                o.put("entry", Json.tree(r.entry()));
                text.append(text.length() > 0 ? "\n" : "").append(line(Json.time(r.at()), Json.tree(r.entry())));
                return (Object) o;
            }).toList();
            return new Result(Map.of("backups", json), text.toString());
        }

        /** One backup as a line: when, kind, id, protection, rows, the file's SHA-256 (and an incremental's parent), shortened. */
        static String line(String at, com.fasterxml.jackson.databind.JsonNode e) {
            StringBuilder b = new StringBuilder(at).append("  ").append(String.format("%-11s", e.path("kind").asText("?")))
                    .append("  ").append(e.path("backup_id").asText("?"))
                    .append("  ").append(e.path("protection").asText("?"))
                    .append("  ").append(e.path("rows").asText("?")).append(" rows")
                    .append("  sha256 ").append(shortHash(e.path("sha256").asText("")));
            if (e.has("parent")) b.append("  after ").append(shortHash(e.path("parent").asText("")));
            if (e.has("recipients")) b.append("  to ").append(e.path("recipients").asText());
            return b.toString();
        }

        private static String shortHash(String hex) { return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex; }
    }
}
