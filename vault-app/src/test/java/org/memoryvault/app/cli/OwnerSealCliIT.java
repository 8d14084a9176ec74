package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owner seals (docs/FORMAT.md §12), tried as the same-uid agent of docs/THREAT-MODEL.md: it edits
 * vault.db and config.toml directly, copies an old vault.db back and cuts the audit log. Each edit
 * of state an owner ceremony set is exit 5 at the next command and in `verify --deep`, and only
 * the owner's `reseal` (with the passphrase) accepts a state.
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class OwnerSealCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;
    Path db;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's own passphrase");
        Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true,
                "boundary.local.ignore-interfaces", Launcher.interfaceNames());
        db = vault.home().resolve("vault.db");
    }

    Launcher.Run owner(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--passphrase-file");
        all.add(ownerPass.toString());
        Launcher.Run r = vault.run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    String store(Launcher as, String content, int level) throws Exception {
        Launcher.Run r = as.runWithInput(content.getBytes(StandardCharsets.UTF_8), "store", "--classification",
                String.valueOf(level), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The next command, the deep verify and the owner's next ceremony all stop with exit 5 naming {@code what}. */
    void assertTampered(String what) throws Exception {
        Launcher.Run list = vault.run("list", "--json");
        assertThat(list.exit()).as(list.toString()).isEqualTo(5);
        JsonNode error = JSON.readTree(list.stdout()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INTEGRITY_TAMPERED");
        assertThat(error.get("message").asText()).contains(what);
        assertThat(list.stderr()).doesNotContain("Exception");
        Launcher.Run verify = vault.run("verify", "--deep", "--passphrase-file", ownerPass.toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(5);
        assertThat(verify.out()).contains("owner seal: ").contains(what);
    }

    /** The owner looks at it and accepts; the audit log records what was accepted; commands work again. */
    void ownerReseals(String what) throws Exception {
        JsonNode r = JSON.readTree(owner("reseal", "--json").stdout());
        assertThat(r.get("accepted").toString()).contains(what);
        assertThat(vault.run("list").exit()).isZero();
        JsonNode log = JSON.readTree(vault.run("audit", "log", "--type", "owner.reseal", "--json").stdout());
        assertThat(log.toString()).contains(what);
    }

    @Test
    void stateOnlyTheOwnerSets_editedInVaultDb_isExit5UntilTheOwnerReseals() throws Exception {
        String kept = store(vault, "a working note", 1);
        String retired = store(vault, "an old note", 1);
        owner("tombstone", retired, "--reason", "obsolete");
        assertThat(vault.run("list").exit()).as("an untouched vault opens").isZero();

        // a tombstone cleared
        sql("UPDATE memories SET tombstoned_at = NULL, tombstone_reason = NULL, tombstone_by = NULL WHERE id = '" + retired + "'");
        assertTampered("tombstones");
        Launcher.Run recall = vault.run("recall", retired, "--justification", "bring it back", "--json");
        assertThat(recall.exit()).as("the cleared tombstone gives nothing back").isEqualTo(5);
        // the owner's reflex, entering lockdown with the passphrase, locks down but does not seal the edit
        Launcher.Run lock = vault.run("lockdown", "enter", "--reason", "exit 5 seen", "--passphrase-file", ownerPass.toString());
        assertThat(lock.exit()).as(lock.toString()).isZero();
        assertThat(lock.stderr()).contains("not sealed");
        sql("UPDATE vault_state SET value = 'false' WHERE key = 'lockdown.active'");
        assertTampered("tombstones");
        ownerReseals("tombstones");

        // a key slot forged with the key file's tier key (a copy of slot 0 under a new number)
        sql("INSERT INTO key_slots SELECT profile_id, 7, type, 'forged', kdf_opslimit, kdf_memlimit, salt, nonce, wrapped_key, "
                + "created_at FROM key_slots WHERE slot_id = 0");
        assertTampered("key slots");
        sql("DELETE FROM key_slots WHERE slot_id = 7");
        assertThat(vault.run("list").exit()).as("undoing the edit restores the sealed state").isZero();

        // an owner lockdown lifted by clearing the row
        owner("lockdown", "enter", "--reason", "incident");
        sql("UPDATE vault_state SET value = 'false' WHERE key = 'lockdown.active'");
        assertTampered("lockdown was lifted outside the vault");
        sql("UPDATE vault_state SET value = 'true' WHERE key = 'lockdown.active'");
        owner("lockdown", "exit");
        assertThat(vault.run("show", kept).exit()).isZero();

        // settings edited in config.toml
        Path config = vault.home().resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "\n[approval]\ngate = \"queue\"\n");
        assertTampered("settings (config.toml)");
        ownerReseals("settings (config.toml)");
        assertThat(vault.run("config", "get", "approval.gate").out()).contains("queue");

        // the newest seal itself edited: its signature no longer verifies
        sql("UPDATE owner_seals SET body = replace(body, 'lockdown open', 'lockdown active') WHERE seq = (SELECT max(seq) FROM owner_seals)");
        assertTampered("signature does not verify");
        ownerReseals("signature does not verify");

        // a junk row numbered far above: the owner's reseal continues its own chain and drops it
        sql("INSERT INTO owner_seals VALUES (100, 'junk', zeroblob(32), zeroblob(64))");
        assertTampered("unreadable");
        ownerReseals("did not sign");
        assertThat(vault.run("list").exit()).isZero();

        // every seal deleted: the audit log (and the witness) still record them, and no ceremony starts a new chain
        sql("DELETE FROM owner_seals");
        assertTampered("seals were deleted");
        Launcher.Run ceremony = vault.run("config", "set", "unlock.ttl", "5m", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(ceremony.exit()).as(ceremony.toString()).isEqualTo(5);
        ownerReseals("seals were deleted");
    }

    @Test
    void approvalsAndPrincipals_editedOrRolledBackRowByRow_areExit5() throws Exception {
        owner("config", "set", "approval.gate", "queue");
        String sealed = store(vault, "the bank PIN is 9833", 3);
        Path credential = Path.of(JSON.readTree(owner("principal", "add", "planner", "--clearance", "3", "--json").stdout())
                .get("credential_file").asText());
        Launcher planner = new Launcher(vault.home()).env("MEMORY_VAULT_PRINCIPAL_FILE", credential.toString());

        // the agent marks its own pending request approved
        Launcher.Run pending = planner.run("recall", sealed, "--justification", "need it", "--json");
        assertThat(pending.exit()).as(pending.toString()).isEqualTo(75);
        String approval = JSON.readTree(pending.stdout()).at("/pending/approval_id").asText();
        sql("UPDATE approvals SET status = 'approved', decided_by = 'owner', decided_at = 1 WHERE id = '" + approval + "'");
        assertTampered("decided approvals");
        Launcher.Run sneaky = planner.run("recall", sealed, "--justification", "need it", "--approval", approval, "--json");
        assertThat(sneaky.exit()).as(sneaky.toString()).isEqualTo(5);
        sql("UPDATE approvals SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = '" + approval + "'");
        assertThat(vault.run("list").exit()).isZero();

        // the old principal row copied back after a rotation (its owner MAC is genuine)
        Path before = tmp.resolve("principals-before.db");
        Files.copy(db, before, StandardCopyOption.REPLACE_EXISTING);
        owner("principal", "rotate", "planner");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("ATTACH DATABASE '" + before + "' AS old");
            s.execute("UPDATE principals SET credential_id = (SELECT credential_id FROM old.principals WHERE name = 'planner'), "
                    + "box_public_key = (SELECT box_public_key FROM old.principals WHERE name = 'planner'), "
                    + "wrapped_key = (SELECT wrapped_key FROM old.principals WHERE name = 'planner'), "
                    + "owner_mac = (SELECT owner_mac FROM old.principals WHERE name = 'planner'), "
                    + "created_at = (SELECT created_at FROM old.principals WHERE name = 'planner') WHERE name = 'planner'");
        }
        assertTampered("principals");
        Launcher.Run oldCredential = planner.run("list", "--json");
        assertThat(oldCredential.exit()).as("the rotated-out credential opens nothing").isEqualTo(5);

        // and an owner ceremony does not seal over it
        Launcher.Run approve = vault.run("approvals", "approve", approval, "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(approve.exit()).as(approve.toString()).isEqualTo(5);
    }

    @Test
    void anOlderVaultDb_orAnAuditLogCutBelowTheSeal_isExit5_andAuditVerifyChecksTheCosignedTrees() throws Exception {
        store(vault, "first", 1);
        Path old = tmp.resolve("old.db");
        Files.copy(db, old);
        String later = store(vault, "second", 1);
        owner("tombstone", later, "--reason", "done");

        // the whole database copied back from before the tombstone
        Path current = tmp.resolve("current.db");
        Files.copy(db, current);
        Files.copy(old, db, StandardCopyOption.REPLACE_EXISTING);
        assertTampered("older than its witness");
        Files.copy(current, db, StandardCopyOption.REPLACE_EXISTING);
        assertThat(vault.run("list").exit()).isZero();

        // the witness deleted (to hide such a copy): missing is exit 5 too, until the owner reseals
        Path witness = vault.home().resolve("owner-seal.witness");
        Files.delete(witness);
        assertTampered("is missing");
        ownerReseals("is missing");
        assertThat(witness).exists();

        // a witness claiming a huge seq is unreadable, not an overflow; the owner's reseal replaces it
        Files.writeString(witness, Files.readString(witness).replaceFirst("(?m)^seq .*$", "seq 9223372036854775806"));
        assertTampered("witness");
        ownerReseals("witness");
        assertThat(owner("tombstone", store(vault, "third", 1), "--reason", "r").exit()).isZero();

        Launcher.Run verified = vault.run("audit", "verify", "--json");
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(JSON.readTree(verified.stdout()).get("owner_cosigned").asInt()).isGreaterThanOrEqualTo(3);

        // the audit log cut back below the newest seal (a rewrite with re-derived hashes and re-signed checkpoints is
        // AuditTamperTest's: the sealed root catches it)
        long size;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM audit_entries")) {
            size = rs.getLong(1);
        }
        sql("DELETE FROM audit_entries WHERE idx >= " + (size - 3));
        sql("DELETE FROM audit_checkpoints WHERE tree_size > " + (size - 3));
        Launcher.Run cut = vault.run("list", "--json");
        assertThat(cut.exit()).as(cut.toString()).isEqualTo(5);
        assertThat(JSON.readTree(cut.stdout()).at("/error/code").asText()).isIn("INTEGRITY_TAMPERED", "INTEGRITY_AUDIT_LOG");
        Launcher.Run audit = vault.run("audit", "verify", "--json");
        assertThat(audit.exit()).as(audit.toString()).isEqualTo(5);
    }
}
