package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault import-legacy} (issue 13; docs/IMPORT.md) on vaults of the Python original that this
 * test writes with SQLite and libsodium alone (LegacyVaultWriter): key-file and passphrase
 * memories come over with their ids, levels, times, authors, metadata, cooldowns, intents and
 * tombstones and open here; a key file the original itself could not load (a leading space) is
 * read whole; a memory no key opens (the original's key-cache fault), one whose content a
 * non-exportable backup left out, and one sealed by a TPM are reported by id while the rest go
 * on; the recall history becomes audit entries with the legacy root checked; a dry run writes
 * nothing; a re-run imports nothing twice; an edited recall log is refused before anything is written.
 */
@org.junit.jupiter.api.Tag("slow")
class ImportLegacyCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;

    @BeforeEach
    void init() throws Exception {
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), Optional.of(ownerPass), true, "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    static JsonNode json(Launcher.Run r) throws Exception { return BackupCliIT.json(r); }

    static Launcher.Run ok(Launcher l, String... args) { return BackupCliIT.ok(l, args); }

    @Test
    void aLegacyVault_comesOverWithItsStatesAndHistory_andWhatCannotBeOpenedIsReported() throws Exception {
        Path legacy = tmp.resolve("legacy");
        String keyed = UUID.randomUUID().toString();
        String tombstoned = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        String passphrase = UUID.randomUUID().toString();
        String cached = UUID.randomUUID().toString();
        String notExported = UUID.randomUUID().toString();
        String tpm = UUID.randomUUID().toString();
        String recoverable = UUID.randomUUID().toString();
        String longIntent = UUID.randomUUID().toString();
        try (LegacyVaultWriter w = new LegacyVaultWriter(legacy)) {
            byte[] key = w.keyFile("static-keyfile");
            w.profile("sealed-in-tpm", "TPM");
            w.memory(keyed, "2026-11-28T19:17:19.660673+00:00", 1, "static-keyfile", "the keyed note", key, null, "intent-7",
                    "{\"topic\": \"project\", \"tags\": [\"alpha\", \"beta\"], \"priority\": 2}", "{\"cooldown_seconds\": 30}", null, null);
            w.memory(tombstoned, "2026-11-28T19:18:00+00:00", 2, "static-keyfile", "a retired note", key, null, null, "null", "null",
                    "2026-11-29T08:00:00.5+00:00Z", "superseded");
            w.memory(secret, "2026-11-28T19:19:00.000001+00:00", 3, "static-keyfile", "the level three plan", key, null, null,
                    "{\"kind\": \"plan\"}", null, null, null);
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            byte[] passphraseKey = LegacyVaultWriter.passphraseKey("legacy pass", salt);
            w.memory(passphrase, "2026-11-28T19:20:00+00:00", 2, "default-passphrase", "behind the legacy passphrase",
                    passphraseKey, salt, null, "null", null, null, null);
            byte[] freshSalt = new byte[16];
            new SecureRandom().nextBytes(freshSalt);
            // the key-cache fault with a key the import derives anyway (the salt of the memory above): recovered
            w.memory(recoverable, "2026-11-28T19:20:30+00:00", 2, "default-passphrase", "sealed under the cached key",
                    passphraseKey, freshSalt, null, "null", null, null, null);
            // a row the original could write and this vault refuses: reported, the rest go on
            w.memory(longIntent, "2026-11-28T19:20:40+00:00", 1, "static-keyfile", "long intent", key, null, "i".repeat(300), "null",
                    null, null, null);
            byte[] otherSalt = new byte[16];
            new SecureRandom().nextBytes(otherSalt);
            // the original's key cache: sealed under a key of another salt than the one stored
            w.memory(cached, "2026-11-28T19:21:00+00:00", 2, "default-passphrase", "no key opens this",
                    LegacyVaultWriter.passphraseKey("legacy pass", otherSalt), salt, null, "null", null, null, null);
            w.memory(notExported, "2026-11-28T19:22:00+00:00", 1, "static-keyfile", "left out", null, null, null, "null", null, null, null);
            w.memory(tpm, "2026-11-28T19:23:00+00:00", 1, "sealed-in-tpm", "in a TPM", key, null, null, "null", null, null, null);
            w.recall(UUID.randomUUID().toString(), keyed, "agent", "2026-11-28T20:00:00.1+00:00", true, "checking the plan");
            w.recall(UUID.randomUUID().toString(), secret, "agent", "2026-11-28T20:01:00+00:00", false, "x | human denied");
            w.recall(UUID.randomUUID().toString(), keyed, "human", "2026-11-28T20:02:00+00:00", true, null);
        }
        Path legacyPass = Launcher.secretFile(tmp.resolve("legacy.pass"), "legacy pass");
        String[] args = {"import-legacy", "--db", legacy.resolve("vault.db").toString(), "--legacy-passphrase-file", legacyPass.toString(),
                "--passphrase-file", ownerPass.toString(), "--json"};
        long entriesBefore = json(ok(vault, "audit", "verify", "--json")).get("entries").asLong();

        JsonNode dry = json(ok(vault, concat(args, "--dry-run")));
        assertThat(dry.get("imported").asLong()).isEqualTo(6);
        assertThat(json(ok(vault, "audit", "verify", "--json")).get("entries").asLong()).as("a dry run writes nothing").isEqualTo(entriesBefore);
        assertThat(vault.run("show", keyed).exit()).isEqualTo(3);

        JsonNode report = json(ok(vault, args));
        assertThat(report.get("memories").asLong()).isEqualTo(9);
        assertThat(report.get("imported").asLong()).isEqualTo(6);
        assertThat(report.get("recovered_with_another_key").asLong()).isEqualTo(1);
        assertThat(report.get("levels_raised").asLong()).as("passphrase memories below 3 come over at 3").isEqualTo(2);
        assertThat(report.get("tombstones").asLong()).isEqualTo(1);
        assertThat(report.get("content_missing")).extracting(JsonNode::asText).containsExactly(notExported);
        assertThat(report.get("recalls").asLong()).isEqualTo(3);
        assertThat(report.get("failed")).extracting(f -> f.get("memory_id").asText()).containsExactlyInAnyOrder(cached, tpm, longIntent);
        assertThat(report.get("failed").toString()).contains("no key opens it").contains("TPM").contains("intent");
        // a row whose content the legacy source lacks keeps its metadata and state, as a shredded tombstone
        JsonNode bare = json(ok(vault, "show", notExported, "--json"));
        assertThat(bare.get("tombstone").toString()).contains("not exported").contains("true");

        assertThat(ok(vault, "recall", keyed, "--justification", "after the import").out()).isEqualTo("the keyed note");
        assertThat(vault.run("recall", passphrase, "--justification", "without the owner").exit()).as("raised to level 3").isNotZero();
        assertThat(ok(vault, "recall", passphrase, "--justification", "after the import", "--passphrase-file", ownerPass.toString()).out())
                .isEqualTo("behind the legacy passphrase");
        assertThat(ok(vault, "recall", recoverable, "--justification", "after the import", "--passphrase-file", ownerPass.toString()).out())
                .isEqualTo("sealed under the cached key");
        assertThat(ok(vault, "recall", secret, "--justification", "after the import", "--passphrase-file", ownerPass.toString()).out())
                .isEqualTo("the level three plan");
        JsonNode shown = json(ok(vault, "show", keyed, "--json"));
        assertThat(shown.get("classification").asInt()).isEqualTo(1);
        assertThat(shown.get("created_at").asText()).isEqualTo("2026-11-28T19:17:19.660Z");
        assertThat(shown.get("created_by").asText()).as("never taken for this vault's owner or a principal").isEqualTo("legacy:agent");
        assertThat(shown.toString()).contains("\"topic\":\"project\"").contains("alpha").contains("intent-7").contains("30");
        assertThat(json(ok(vault, "show", secret, "--json")).get("classification").asInt()).isEqualTo(3);
        JsonNode gone = json(ok(vault, "show", tombstoned, "--json"));
        assertThat(gone.get("tombstone").toString()).contains("superseded").contains("2026-11-29T08:00:00.500Z");
        assertThat(vault.run("recall", tombstoned, "--justification", "x").exit()).isEqualTo(4);
        assertThat(ok(vault, "search", "project").out()).contains(keyed);
        ok(vault, "audit", "verify");
        ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString());
        String importEntry = ok(vault, "audit", "log", "--type", "legacy.import").out();
        assertThat(importEntry).contains(report.get("legacy_root").asText()).contains("\"leaves\":3");
        assertThat(ok(vault, "audit", "log", "--type", "legacy.recall").out()).contains("checking the plan").contains("human denied");

        // a second run finishes an interrupted import and brings nothing twice
        JsonNode again = json(ok(vault, args));
        assertThat(again.get("imported").asLong()).isZero();
        assertThat(again.get("existing").asLong()).isEqualTo(6);
        assertThat(again.get("recalls").asLong()).isZero();
        assertThat(again.get("recalls_already_imported").asLong()).isEqualTo(3);
    }

    @Test
    void anEditedRecallLog_isRefused_andNothingIsImported() throws Exception {
        Path legacy = tmp.resolve("legacy");
        String id = UUID.randomUUID().toString();
        try (LegacyVaultWriter w = new LegacyVaultWriter(legacy)) {
            byte[] key = w.keyFile("static-keyfile");
            w.memory(id, "2026-11-28T19:17:19+00:00", 1, "static-keyfile", "kept", key, null, null, "null", null, null, null);
            w.recall(UUID.randomUUID().toString(), id, "agent", "2026-11-28T20:00:00+00:00", false, "cooldown: 30s");
            w.recall(UUID.randomUUID().toString(), id, "agent", "2026-11-28T20:05:00+00:00", true, "later");
            w.sql("UPDATE recall_log SET approved = 1 WHERE justification = 'cooldown: 30s'");
        }
        long entriesBefore = json(ok(vault, "audit", "verify", "--json")).get("entries").asLong();
        Launcher.Run r = vault.run("import-legacy", "--db", legacy.resolve("vault.db").toString(), "--passphrase-file", ownerPass.toString(),
                "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("INTEGRITY_AUDIT_LOG");
        assertThat(vault.run("show", id).exit()).isEqualTo(3);
        assertThat(json(ok(vault, "audit", "verify", "--json")).get("entries").asLong()).isEqualTo(entriesBefore);

        Launcher.Run notLegacy = vault.run("import-legacy", "--db", vault.home().resolve("vault.db").toString(), "--json");
        assertThat(notLegacy.exit()).as(notLegacy.toString()).isEqualTo(2);
        assertThat(Files.exists(vault.home().resolve("vault.db"))).isTrue();
    }

    /**
     * A legacy backup file (its JSON container) restores into an existing vault: memories of an
     * exportable profile open with their key file; a non-exportable profile's rows, whose content
     * the original's backup left out (its own restore then failed), come over with their metadata
     * and state and are reported; a wrong passphrase is refused and nothing is written.
     */
    @Test
    void aLegacyBackup_restoresItsMemories_andANonExportableProfilesRowsAsMetadata() throws Exception {
        Path legacy = tmp.resolve("legacy");
        String exported = UUID.randomUUID().toString();
        String notExported = UUID.randomUUID().toString();
        Path file = tmp.resolve("legacy-backup.json");
        try (LegacyVaultWriter w = new LegacyVaultWriter(legacy)) {
            w.profile("work-keys", "KeyFile");
            byte[] work = w.keyFile("work-keys");
            byte[] fixed = w.keyFile("static-keyfile");
            w.memory(exported, "2026-11-28T19:17:19+00:00", 2, "work-keys", "exported content", work, null, "intent-1",
                    "{\"topic\": \"exported\"}", "{\"cooldown_seconds\": 5}", null, null);
            w.memory(notExported, "2026-11-28T19:18:19+00:00", 1, "static-keyfile", "never in the backup", fixed, null, null,
                    "{\"topic\": \"kept\"}", null, null, null);
            w.backup(file, "backup pass");
        }
        Path backupPass = Launcher.secretFile(tmp.resolve("backup.pass"), "backup pass");
        Path wrong = Launcher.secretFile(tmp.resolve("wrong.pass"), "not it");
        long entriesBefore = json(ok(vault, "audit", "verify", "--json")).get("entries").asLong();
        Launcher.Run refused = vault.run("restore", "--legacy", file.toString(), "--backup-passphrase-file", wrong.toString(),
                "--keyfile-dir", legacy.resolve("keys").toString(), "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
        // nothing imported; the wrong secret is audited, as any
        assertThat(json(ok(vault, "audit", "verify", "--json")).get("entries").asLong()).isEqualTo(entriesBefore + 1);
        assertThat(ok(vault, "audit", "log", "--type", "secret.refused").out()).contains("restore --legacy");
        assertThat(vault.run("show", exported).exit()).isEqualTo(3);

        JsonNode report = json(ok(vault, "restore", "--legacy", file.toString(), "--backup-passphrase-file", backupPass.toString(),
                "--keyfile-dir", legacy.resolve("keys").toString(), "--passphrase-file", ownerPass.toString(), "--json"));
        assertThat(report.get("imported").asLong()).isEqualTo(2);
        assertThat(report.get("content_missing")).extracting(JsonNode::asText).containsExactly(notExported);
        assertThat(report.get("recalls").asLong()).isZero();
        assertThat(ok(vault, "recall", exported, "--justification", "after the legacy restore").out()).isEqualTo("exported content");
        JsonNode kept = json(ok(vault, "show", notExported, "--json"));
        assertThat(kept.toString()).contains("\"topic\":\"kept\"").contains("not exported");
        assertThat(vault.run("recall", notExported, "--justification", "x").exit()).isEqualTo(4);
        ok(vault, "audit", "verify");
        ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString());
        // the same file again brings nothing twice
        assertThat(json(ok(vault, "import-legacy", "--backup", file.toString(), "--backup-passphrase-file", backupPass.toString(),
                "--keyfile-dir", legacy.resolve("keys").toString(), "--passphrase-file", ownerPass.toString(), "--json"))
                .get("existing").asLong()).isEqualTo(2);
    }

    private static String[] concat(String[] a, String... b) { return BackupCliIT.concat(a, b); }
}
