package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault escrow} (issue 14, docs/FORMAT.md §15, docs/RECOVERY.md): the owner splits the owner key
 * 2-of-3 among age recipients; the stock {@code age} tool decrypts a holder's exported share; two
 * shares put the key into a new owner passphrase slot that opens level 3; a share with a changed
 * byte, or too few shares, are refused and named; everything is audited.
 */
class EscrowCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), Optional.of(ownerPass), true, "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    static Launcher.Run ok(Launcher l, String... args) {
        Launcher.Run r = l.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    String identity(String name) { return Launcher.ageIdentity(tmp, name); }

    /** The holder's share, as the holder reads it: `age -d -i NAME.key FILE`. */
    Path decrypt(String name, Path file) throws Exception {
        Path out = tmp.resolve(name + ".share");
        Process p = new ProcessBuilder("age", "-d", "-i", tmp.resolve(name + ".key").toString(), "-o", out.toString(), file.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isZero();
        return out;
    }

    @Test
    void twoOfThreeShares_decryptedWithTheAgeTool_recoverTheOwnerKeyIntoANewPassphrase() throws Exception {
        boolean age = new ProcessBuilder("sh", "-c", "command -v age && command -v age-keygen").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_AGE"))) assertThat(age).as("the age tool (apt-get install age)").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(age, "the age tool is not installed (apt-get install age)");
        Launcher.Run stored = vault.runWithInput("held in escrow".getBytes(StandardCharsets.UTF_8), "store", "--classification", "3", "--json");
        assertThat(stored.exit()).as(stored.toString()).isZero();
        String memory = JSON.readTree(stored.stdout()).get("id").asText();
        String alice = identity("alice");
        String bob = identity("bob");
        String carol = identity("carol");
        String[] create = {"escrow", "create", "--profile", "default", "--threshold", "2", "--recipient", "alice=" + alice,
                "--recipient", "bob=" + bob, "--recipient", "carol=" + carol, "--json"};

        // the key file (an agent's everyday secret) cannot escrow the owner key
        Launcher.Run byAgent = vault.run(create);
        assertThat(byAgent.exit()).as(byAgent.toString()).isEqualTo(2);
        assertThat(JSON.readTree(byAgent.stdout()).at("/error/code").asText()).isEqualTo("INPUT_SECRET_MISSING");

        // one identity may not hold two shares
        Launcher.Run twice = vault.run("escrow", "create", "--profile", "default", "--threshold", "2", "--recipient", "alice=" + alice,
                "--recipient", "alice2=" + alice, "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(twice.exit()).as(twice.toString()).isEqualTo(2);
        assertThat(JSON.readTree(twice.stdout()).at("/error/message").asText()).contains("same age recipient");

        String[] asOwner = java.util.Arrays.copyOf(create, create.length + 2);
        asOwner[create.length] = "--passphrase-file";
        asOwner[create.length + 1] = ownerPass.toString();
        JsonNode made = JSON.readTree(ok(vault, asOwner).stdout());
        String id = made.get("escrow_id").asText();
        assertThat(made.get("threshold").asInt()).isEqualTo(2);
        assertThat(made.get("holders")).extracting(h -> h.get("name").asText()).containsExactly("alice", "bob", "carol");
        assertThat(ok(vault, "escrow", "list").out()).contains(id).contains("2 of 3");
        assertThat(ok(vault, "escrow", "info", id).out()).contains(alice).contains(carol);

        Path aliceFile = tmp.resolve("alice.age");
        Path bobFile = tmp.resolve("bob.age");
        ok(vault, "escrow", "export", id, "alice", "--out", aliceFile.toString());
        ok(vault, "escrow", "export", id, "bob", "--out", bobFile.toString());
        assertThat(Files.readString(aliceFile, StandardCharsets.ISO_8859_1)).startsWith("age-encryption.org/v1\n");
        Path aliceShare = decrypt("alice", aliceFile);
        Path bobShare = decrypt("bob", bobFile);
        assertThat(Files.readString(aliceShare)).startsWith("memory-vault/escrow-share/1\n").contains("escrow: " + id)
                .contains("index: 1").contains("threshold: 2").contains("shares: 3").contains("holder: alice")
                .contains("secret-commitment: ");
        // bob cannot read alice's share
        Process wrong = new ProcessBuilder("age", "-d", "-i", tmp.resolve("bob.key").toString(), aliceFile.toString()).redirectErrorStream(true).start();
        wrong.getInputStream().readAllBytes();
        assertThat(wrong.waitFor()).isNotZero();

        // one share is not enough; a share with one byte changed is named
        Path newPass = Launcher.secretFile(tmp.resolve("new.pass"), "a passphrase made from the escrow");
        Launcher.Run one = vault.run("escrow", "recover", "--profile", "default", "--shares", aliceShare.toString(),
                "--new-passphrase-file", newPass.toString(), "--json");
        assertThat(one.exit()).as(one.toString()).isEqualTo(2);
        assertThat(JSON.readTree(one.stdout()).at("/error/message").asText()).contains("needs 2");
        byte[] bytes = Files.readAllBytes(bobShare);
        bytes[bytes.length - 5] ^= 0x01;
        Path damaged = Files.write(tmp.resolve("bob-damaged.share"), bytes);
        Launcher.Run bad = vault.run("escrow", "recover", "--profile", "default", "--shares", aliceShare + "," + damaged,
                "--new-passphrase-file", newPass.toString(), "--json");
        assertThat(bad.exit()).as(bad.toString()).isIn(2, 5);
        assertThat(JSON.readTree(bad.stdout()).at("/error/message").asText()).contains(damaged.toString());

        // a lost passphrase and a few wrong guesses put a vault in lockdown: the shares still recover it, and the new
        // passphrase then leaves lockdown
        ok(vault, "lockdown", "enter", "--reason", "wrong guesses");
        JsonNode slot = JSON.readTree(ok(vault, "escrow", "recover", "--profile", "default", "--shares", aliceShare + "," + bobShare,
                "--new-passphrase-file", newPass.toString(), "--json").stdout());
        ok(vault, "lockdown", "exit", "--passphrase-file", newPass.toString());
        assertThat(slot.get("type").asText()).isEqualTo("passphrase");
        Launcher.Run recalled = vault.run("recall", memory, "--justification", "after the escrow", "--passphrase-file", newPass.toString());
        assertThat(recalled.exit()).as(recalled.toString()).isZero();
        assertThat(recalled.out()).isEqualTo("held in escrow");

        assertThat(ok(vault, "audit", "log", "--type", "escrow.create").out()).contains(id);
        assertThat(ok(vault, "audit", "log", "--type", "escrow.export").out()).contains("alice").contains("bob");
        assertThat(ok(vault, "audit", "log", "--type", "escrow.recover").out()).contains(id);
        // after a re-key the escrow is stale (it holds the old level 0-2 key); editing its row in vault.db to the new key version
        // (what a same-user agent can do) does not pass it off as current: the commitment binds the key version
        ok(vault, "profile", "rekey", "default", "--passphrase-file", newPass.toString(), "--drop-other-slots");
        assertThat(ok(vault, "escrow", "list").out()).contains("stale");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("UPDATE escrows SET key_version = 2");
        }
        Path again = Launcher.secretFile(tmp.resolve("again.pass"), "a second passphrase from the escrow");
        Launcher.Run stale = vault.run("escrow", "recover", "--profile", "default", "--shares", aliceShare + "," + bobShare,
                "--new-passphrase-file", again.toString(), "--json");
        assertThat(stale.exit()).as(stale.toString()).isEqualTo(5);
        assertThat(JSON.readTree(stale.stdout()).at("/error/code").asText()).isEqualTo("INTEGRITY_TAMPERED");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("UPDATE escrows SET key_version = 1");
        }
        ok(vault, "escrow", "delete", id, "--passphrase-file", newPass.toString());
        assertThat(ok(vault, "escrow", "list").out()).contains("no escrows");
        ok(vault, "verify");
    }
}
