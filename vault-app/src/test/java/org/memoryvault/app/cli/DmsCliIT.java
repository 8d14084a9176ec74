package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault dms} (issue 14, docs/RECOVERY.md "Dead-man switch") on the real clock with a short
 * interval: heirs and arming need the owner; release before the deadline is refused and writes
 * nothing; a check-in moves the deadline; after it, each heir's package is a standard age file the
 * stock {@code age} tool opens into the manifest and the contents; every step is in the audit log.
 * (The rule itself, on a clock the test moves: DeadManSwitchProperties.)
 */
class DmsCliIT {
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

    Launcher.Run ok(String... args) {
        Launcher.Run r = vault.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    JsonNode owner(String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 3);
        all[args.length] = "--passphrase-file";
        all[args.length + 1] = ownerPass.toString();
        all[args.length + 2] = "--json";
        return JSON.readTree(ok(all).stdout());
    }

    String store(String content, int level) throws Exception {
        Launcher.Run r = vault.runWithInput(content.getBytes(StandardCharsets.UTF_8), "store", "--classification", String.valueOf(level), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    String identity(String name) { return Launcher.ageIdentity(tmp, name); }

    void sql(String statement) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void releaseWaitsForTheDeadline_aCheckinMovesIt_andEachHeirOpensTheirPackageWithAge() throws Exception {
        boolean age = new ProcessBuilder("sh", "-c", "command -v age && command -v age-keygen").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_AGE"))) assertThat(age).as("the age tool (apt-get install age)").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(age, "the age tool is not installed (apt-get install age)");
        String note = store("the bank is Acme, account 42", 1);
        String secret = store("the safe's code is 7-3-9", 3);
        String alice = identity("alice");
        String bob = identity("bob");

        // the key file (an agent's everyday secret) can neither name an heir nor arm
        Launcher.Run byAgent = vault.run("dms", "heir", "add", "mallory", alice, "--json");
        assertThat(byAgent.exit()).as(byAgent.toString()).isEqualTo(2);
        assertThat(JSON.readTree(byAgent.stdout()).at("/error/code").asText()).isEqualTo("INPUT_SECRET_MISSING");
        owner("dms", "heir", "add", "alice", alice);
        owner("dms", "heir", "add", "bob", bob);
        Launcher.Run badRecipient = vault.run("dms", "heir", "add", "carol", "age1notarecipient", "--passphrase-file", ownerPass.toString());
        assertThat(badRecipient.exit()).as(badRecipient.toString()).isEqualTo(2);
        assertThat(ok("dms", "heir", "list").out()).contains("alice").contains("bob").doesNotContain("carol");

        JsonNode armed = owner("dms", "arm", "--every", "20s", "--memories", note + "," + secret, "--justification", "for my heirs");
        Instant first = Instant.parse(armed.get("deadline").asText());

        Path out = tmp.resolve("released");
        Launcher.Run early = vault.run("dms", "release", "--out", out.toString(), "--json");
        assertThat(early.exit()).as(early.toString()).isEqualTo(2);
        assertThat(JSON.readTree(early.stdout()).at("/error/message").asText()).contains("not triggered");
        assertThat(out).doesNotExist();

        Thread.sleep(1500);
        JsonNode checked = owner("dms", "checkin");
        Instant second = Instant.parse(checked.get("deadline").asText());
        assertThat(second).isAfter(first);
        // a same-user agent swaps bob's recipient for its own key in vault.db: the owner's next check-in refuses, naming bob,
        // and seals nothing to that key (the owner signed each heir's recipient when adding it)
        String mallory = identity("mallory");
        sql("UPDATE dms_heirs SET recipient = '" + mallory + "' WHERE name = 'bob'");
        Launcher.Run swapped = vault.run("dms", "checkin", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(swapped.exit()).as(swapped.toString()).isEqualTo(5);
        assertThat(JSON.readTree(swapped.stdout()).at("/error/message").asText()).contains("heir bob");
        sql("UPDATE dms_heirs SET recipient = '" + bob + "' WHERE name = 'bob'");
        // and one that rewrites the interval is refused as well (the owner signed it at arming)
        sql("UPDATE dms_state SET interval_ms = 1");
        Launcher.Run shortened = vault.run("dms", "checkin", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(shortened.exit()).as(shortened.toString()).isEqualTo(5);
        sql("UPDATE dms_state SET interval_ms = 20000");
        JsonNode status = JSON.readTree(ok("dms", "status", "--json").stdout());
        assertThat(status.get("armed").asBoolean()).isTrue();
        assertThat(status.get("triggered").asBoolean()).isFalse();

        while (Instant.now().isBefore(second.plusMillis(300))) Thread.sleep(200);
        assertThat(JSON.readTree(ok("dms", "status", "--json").stdout()).get("triggered").asBoolean()).isTrue();
        JsonNode released = JSON.readTree(ok("dms", "release", "--out", out.toString(), "--json").stdout());
        assertThat(released.get("released")).extracting(JsonNode::asText).containsExactly("alice", "bob");
        assertThat(Files.getPosixFilePermissions(out.resolve("alice.age"))).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(out.resolve("bob.age"), StandardCharsets.ISO_8859_1)).startsWith("age-encryption.org/v1\n")
                .doesNotContain("Acme");

        // the heir's stock age tool yields the manifest and the contents
        Process p = new ProcessBuilder("age", "-d", "-i", tmp.resolve("alice.key").toString(), out.resolve("alice.age").toString()).start();
        byte[] plain = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        JsonNode pkg = JSON.readTree(plain);
        assertThat(pkg.get("format").asText()).isEqualTo("memory-vault/heir-package/1");
        assertThat(pkg.get("heir").asText()).isEqualTo("alice");
        assertThat(pkg.get("justification").asText()).isEqualTo("for my heirs");
        assertThat(pkg.get("checkpoint").asText()).startsWith("memory-vault/");
        Map<String, String> contents = new HashMap<>();
        for (JsonNode m : pkg.get("memories")) {
            contents.put(m.get("id").asText(), new String(Base64.getDecoder().decode(m.get("content_base64").asText()), StandardCharsets.UTF_8));
            assertThat(m.has("classification")).isTrue();
            assertThat(m.has("created_at")).isTrue();
            assertThat(m.has("metadata")).isTrue();
        }
        assertThat(contents).containsEntry(note, "the bank is Acme, account 42").containsEntry(secret, "the safe's code is 7-3-9");
        // neither alice's nor mallory's key opens bob's package
        for (String other : java.util.List.of("alice", "mallory")) {
            Process no = new ProcessBuilder("age", "-d", "-i", tmp.resolve(other + ".key").toString(), out.resolve("bob.age").toString())
                    .redirectErrorStream(true).start();
            no.getInputStream().readAllBytes();
            assertThat(no.waitFor()).as(other).isNotZero();
        }
        Process wrong = new ProcessBuilder("age", "-d", "-i", tmp.resolve("alice.key").toString(), out.resolve("bob.age").toString())
                .redirectErrorStream(true).start();
        wrong.getInputStream().readAllBytes();
        assertThat(wrong.waitFor()).isNotZero();

        String log = ok("audit", "log", "--limit", "200").out();
        assertThat(log).contains("dms.heir.add").contains("dms.arm").contains("dms.checkin").contains("dms.release");
        owner("dms", "disarm");
        assertThat(JSON.readTree(ok("dms", "status", "--json").stdout()).get("armed").asBoolean()).isFalse();
        ok("verify");
    }
}
