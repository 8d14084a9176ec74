package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.usecase.StoreMemory;

/**
 * {@code vault profile rekey} (issue 13; docs/FORMAT.md §3, "Re-keying"): every memory is sealed
 * again under the next key version and still opens; the old tier key (an old key file's slot
 * kept in a copy of vault.db) opens nothing sealed after, by cryptography (recover.py, libsodium
 * alone); the profile's principals are revoked; a slot whose secret is not at hand refuses the
 * re-key unless dropped. And it survives kill -9 at random points on 10,000 memories: nothing is
 * lost, recalls wait while it is pending, and running it again finishes it.
 */
@org.junit.jupiter.api.Tag("slow")
class RekeyCliIT {
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

    String store(String content, int level) throws Exception {
        Launcher.Run r = vault.runWithInput(content.getBytes(StandardCharsets.UTF_8), "store", "--classification", String.valueOf(level),
                "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    @Test
    void aRekey_sealsEveryMemoryAgain_revokesPrincipals_andTheOldTierKeyOpensNothingSealedAfter() throws Exception {
        String one = store("level one before the re-key", 1);
        String two = store("level two before the re-key", 2);
        String four = store("level four before the re-key", 4);
        String gone = store("tombstoned before the re-key", 2);
        ok(vault, "tombstone", gone, "--reason", "old", "--passphrase-file", ownerPass.toString());
        ok(vault, "principal", "add", "builder", "--clearance", "2", "--passphrase-file", ownerPass.toString());
        Path credential = vault.home().resolve("principals/builder.key");
        Path oldCopy = tmp.resolve("old-vault.db");
        Files.copy(vault.home().resolve("vault.db"), oldCopy);

        JsonNode r = JSON.readTree(ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString(), "--json").stdout());
        assertThat(r.get("key_version").asInt()).isEqualTo(2);
        assertThat(r.get("memories").asLong()).isEqualTo(4);
        assertThat(r.get("slots_kept")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(0, 1);
        assertThat(r.get("principals_revoked")).extracting(JsonNode::asText).containsExactly("builder");

        assertThat(ok(vault, "recall", one, "--justification", "after").out()).isEqualTo("level one before the re-key");
        assertThat(ok(vault, "recall", two, "--justification", "after").out()).isEqualTo("level two before the re-key");
        assertThat(ok(vault, "recall", four, "--justification", "after", "--passphrase-file", ownerPass.toString()).out())
                .isEqualTo("level four before the re-key");
        String after = store("stored after the re-key", 1);
        assertThat(ok(vault, "recall", after, "--justification", "after").out()).isEqualTo("stored after the re-key");
        ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString());
        ok(vault, "audit", "verify");
        assertThat(ok(vault, "audit", "log", "--type", "profile.rekey").out()).contains("\"key_version\":2");
        Launcher.Run agent = vault.env("MEMORY_VAULT_PRINCIPAL_FILE", credential.toString()).run("recall", one, "--justification", "agent");
        assertThat(agent.exit()).as("the revoked principal: " + agent).isNotZero();

        // someone who kept the old key file's slot (a copy of vault.db from before) opens nothing with it, by cryptography:
        // recover.py, with libsodium alone, on today's vault.db with yesterday's slots and key version
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        boolean nacl = new ProcessBuilder(python, "-c", "import nacl.pwhash, nacl.bindings").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_PYNACL"))) assertThat(nacl).as(python + " with PyNaCl").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(nacl, "python3 with PyNaCl is not installed (apt-get install python3-nacl)");
        Path hybrid = tmp.resolve("hybrid");
        Files.createDirectory(hybrid);
        Files.copy(vault.home().resolve("vault.db"), hybrid.resolve("vault.db"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hybrid.resolve("vault.db")); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("ATTACH DATABASE '" + oldCopy + "' AS old");
            s.execute("DELETE FROM key_slots");
            s.execute("INSERT INTO key_slots SELECT * FROM old.key_slots");
            s.execute("UPDATE profiles SET key_version = (SELECT key_version FROM old.profiles WHERE id = 'default')");
            s.execute("UPDATE memories SET key_version = (SELECT key_version FROM old.profiles WHERE id = 'default')");
        }
        Path out = tmp.resolve("recovered");
        Process p = new ProcessBuilder(python, Launcher.REPO.resolve("docs/recovery/recover.py").toString(), "--vault", hybrid.toString(),
                "--key-file", vault.home().resolve("keys/default.key").toString(), "--out", out.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isEqualTo(5);
        assertThat(out.resolve(one)).doesNotExist();
        assertThat(out.resolve(two)).doesNotExist();
        assertThat(Files.readString(out.resolve("manifest.json"))).contains("tampered: the wrapped content key failed authentication");
    }

    @Test
    void aSlotWhoseSecretIsNotAtHand_refusesTheRekeyUntouched_unlessDropped() throws Exception {
        String one = store("kept through it", 1);
        Path second = Launcher.secretFile(tmp.resolve("second.pass"), "a second passphrase, in the safe");
        ok(vault, "profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", second.toString(),
                "--passphrase-file", ownerPass.toString());
        Launcher.Run refused = vault.run("profile", "rekey", "default", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(JSON.readTree(refused.stdout()).at("/error/message").asText()).contains("slot 2").contains("--drop-other-slots");
        assertThat(ok(vault, "audit", "log", "--type", "profile.rekey.start").out()).doesNotContain("profile.rekey.start");

        JsonNode r = JSON.readTree(ok(vault, "profile", "rekey", "default", "--drop-other-slots", "--passphrase-file",
                ownerPass.toString(), "--json").stdout());
        assertThat(r.get("slots_dropped")).extracting(JsonNode::asInt).containsExactly(2);
        assertThat(ok(vault, "recall", one, "--justification", "after").out()).isEqualTo("kept through it");
        Launcher.Run bySecond = vault.run("recall", store("needs the owner", 3), "--justification", "x", "--passphrase-file", second.toString());
        assertThat(bySecond.exit()).as("the dropped slot's passphrase opens nothing: " + bySecond).isEqualTo(4);
    }

    /**
     * kill -9 at random points of a re-key of 10,000 memories: every memory stays at the old or the
     * new key version, recalls of the profile wait while it is pending, and a run to the end finishes
     * it; then every memory opens, the seal and the audit log verify.
     */
    @Test
    void aRekeyKilledAtRandomPoints_losesNothing_andARerunFinishesIt() throws Exception {
        int n = 10_000;
        String probe;
        fill(n);
        probe = store("the probe", 1);
        SplittableRandom random = new SplittableRandom(20261202);
        int killedMidway = 0;
        boolean recovered = false;
        for (int round = 0; round < 6; round++) {
            Process p = vault.spawn("profile", "rekey", "default", "--batch", "50", "--passphrase-file", ownerPass.toString());
            Thread.sleep(700 + random.nextInt(2500));
            p.destroyForcibly();                       // SIGKILL
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            int[] versions = versions();
            assertThat(versions[0] + versions[1]).as("every memory at the old or the new version").isEqualTo(n + 1);
            if (pending() && versions[1] > 0 && !recovered) {
                // mid-way: with libsodium alone, each memory opens with the old key or the pending new one (FORMAT.md §3)
                recovered = recoverAll(n + 1);
            }
            if (pending()) {
                killedMidway++;
                Launcher.Run waits = vault.run("recall", probe, "--justification", "during", "--json");
                assertThat(waits.exit()).as(waits.toString()).isEqualTo(2);
                assertThat(JSON.readTree(waits.stdout()).at("/error/message").asText()).contains("being re-keyed");
            }
        }
        assertThat(killedMidway).as("some kill landed while the re-key was pending").isPositive();
        if ("1".equals(System.getenv("VAULT_REQUIRE_PYNACL"))) {
            assertThat(recovered).as("recover.py opened a vault a kill left mid-way through its memories").isTrue();
        }
        ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString());
        assertThat(pending()).isFalse();
        assertThat(ok(vault, "recall", probe, "--justification", "after").out()).isEqualTo("the probe");
        JsonNode verified = JSON.readTree(ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString(), "--json").stdout());
        assertThat(verified.get("damaged")).isEmpty();
        assertThat(verified.get("checked").asLong()).isEqualTo(n + 1);
        ok(vault, "audit", "verify");
    }

    /** Whether no process holds vault.db's write lock now (a write transaction begins at once). */
    private boolean writeLockFree() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            try {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
                return true;
            } catch (java.sql.SQLException busy) {
                return false;
            }
        }
    }

    /**
     * Found in review: a re-key paused (SIGSTOP) while another run finished it and a third moved
     * the profile on rolled the profile back when it went on, leaving memories no key opens. Now a
     * run whose pending row is gone, or whose profile moved, stops without changing anything.
     */
    @Test
    void aPausedRekeyThatGoesOnAfterOthersFinished_changesNothing() throws Exception {
        fill(2_000);
        Process a = vault.spawn("profile", "rekey", "default", "--batch", "5", "--passphrase-file", ownerPass.toString());
        awaitUnderWay();
        Launcher.Run b = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            // stop A between two of its transactions: stopped inside one, it holds the write lock and B can only wait
            for (int tries = 0; tries < 500; tries++) {
                signal(a, "STOP");
                if (writeLockFree()) break;
                signal(a, "CONT");
                Thread.sleep(5);
            }
            b = vault.run("profile", "rekey", "default", "--passphrase-file", ownerPass.toString(), "--json");
            if (b.exit() == 0) break;
            signal(a, "CONT");                         // A held the write lock when it stopped: let it go on a little
            Thread.sleep(50);
        }
        assertThat(b.exit()).as("B finished A's re-key while A was stopped: " + b).isZero();
        ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString());      // C: version 3
        signal(a, "CONT");
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).as("A, gone on after B and C").isEqualTo(2);
        JsonNode verified = JSON.readTree(ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString(), "--json").stdout());
        assertThat(verified.get("damaged")).isEmpty();
        assertThat(verified.get("checked").asLong()).isEqualTo(2_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT key_version FROM profiles WHERE id = 'default'")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(3);
        }
    }

    /** Found in review: one damaged memory stopped every re-key, and with it every recall of the profile. */
    @Test
    void aDamagedMemory_isLeftAndReported_andTheRekeyFinishes() throws Exception {
        String good = store("a good memory", 1);
        String bad = store("a memory to damage", 1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db")); Statement st = c.createStatement()) {
            st.execute("UPDATE memories SET ciphertext = zeroblob(length(ciphertext)) WHERE id = '" + bad + "'");
        }
        JsonNode r = JSON.readTree(ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString(), "--json").stdout());
        assertThat(r.get("damaged")).extracting(JsonNode::asText).containsExactly(bad);
        assertThat(pending()).isFalse();
        assertThat(ok(vault, "recall", good, "--justification", "after").out()).isEqualTo("a good memory");
    }

    /**
     * Found in review: a pending row the owner key does not open (planted, or edited) blocked the
     * profile for good. With nothing moved under it, it is discarded (audited) and the re-key runs;
     * with memories moved under a pending row that was deleted, the re-key refuses rather than
     * start afresh and leave them unopenable.
     */
    @Test
    void aPlantedPendingRowIsDiscarded_andADeletedOneWithMovedMemoriesRefuses() throws Exception {
        String one = store("kept", 1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db")); Statement st = c.createStatement()) {
            st.execute("INSERT INTO rekeys (profile_id, key_version, sealed_key, started_at) VALUES ('default', 2, randomblob(72), 0)");
        }
        ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString());
        assertThat(ok(vault, "audit", "log", "--type", "profile.rekey.discard").out()).contains("profile.rekey.discard");
        assertThat(ok(vault, "recall", one, "--justification", "after").out()).isEqualTo("kept");

        fill(3_000);
        Process a = vault.spawn("profile", "rekey", "default", "--batch", "5", "--passphrase-file", ownerPass.toString());
        awaitUnderWay();
        a.destroyForcibly();
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db")); Statement st = c.createStatement()) {
            st.execute("DELETE FROM rekeys");
        }
        Launcher.Run refused = vault.run("profile", "rekey", "default", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
        assertThat(JSON.readTree(refused.stdout()).at("/error/message").asText()).contains("no pending re-key holds their key");
    }

    /** Stores {@code n} memories at levels 1-2 in this JVM, through the CLI's wiring. */
    private void fill(int n) {
        VaultOptions options = new VaultOptions(vault.home(), Optional.of(ownerPass), Optional.empty(), Map.of());
        try (Vault v = Vault.open(options)) {
            for (int done = 0; done < n; done += 500) {
                List<StoreMemory.Request> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(500, n - done); i++) {
                    byte[] b = new byte[200];
                    new SplittableRandom(done + i).nextBytes(b);
                    batch.add(new StoreMemory.Request(Plaintext.adopt(b), Classification.ofLevel(1 + i % 2), ProfileId.of("default"),
                            AccessPolicy.DEFAULT, new Metadata("{\"n\":" + (done + i) + "}"), List.of(), new Requester.Owner()));
                }
                v.component().storeMemory().executeAll(batch);
            }
            v.finish();
        }
    }

    /** Waits (at most 60 s) until a spawned re-key is pending and has moved some memories. */
    private void awaitUnderWay() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(pending() && versions()[1] > 20)) {
            assertThat(System.nanoTime()).as("the re-key got under way").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    /** Runs recover.py with the key file and the passphrase; true once it recovered {@code expected} memories (false without PyNaCl). */
    private boolean recoverAll(int expected) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        if (new ProcessBuilder(python, "-c", "import nacl.pwhash, nacl.bindings").start().waitFor() != 0) return false;
        Path out = Files.createTempDirectory(tmp, "recovered-");
        Files.delete(out);
        Process p = new ProcessBuilder(python, Launcher.REPO.resolve("docs/recovery/recover.py").toString(), "--vault",
                vault.home().toString(), "--key-file", vault.home().resolve("keys/default.key").toString(), "--passphrase-file",
                ownerPass.toString(), "--out", out.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isZero();
        assertThat(said).contains("recovered " + expected + " of " + expected + " memories");
        return true;
    }

    /** How many memories are at the profile's key version [0], and at the next one [1]. */
    private int[] versions() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM memories m WHERE m.key_version = p.key_version),"
                     + " (SELECT count(*) FROM memories m WHERE m.key_version = p.key_version + 1) FROM profiles p WHERE p.id = 'default'")) {
            r.next();
            return new int[] {r.getInt(1), r.getInt(2)};
        }
    }

    private boolean pending() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM rekeys")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }
}
