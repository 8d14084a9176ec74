package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the built launcher: a fresh vault per test, real processes, real files. */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class VaultCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        Launcher.initInProcess(vault.home(), java.util.Optional.empty(), false);      // what `vault init` does, in this JVM
    }

    static JsonNode json(Launcher.Run r) throws Exception {
        return JSON.readTree(r.stdout());
    }

    String store(String content, String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "store";
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        Launcher.Run r = vault.runWithInput(content.getBytes(StandardCharsets.UTF_8), args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return json(r).get("id").asText();
    }

    void assertError(Launcher.Run r, int exit, String code) throws Exception {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(json(r).at("/error/code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
    }

    @Test
    void init_throughTheCli_makesAVaultWithAKeyFileProfile_andRefusesToRunTwice() throws Exception {
        Launcher fresh = new Launcher(tmp.resolve("fresh"));
        Launcher.Run r = fresh.run("init", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode out = json(r);
        assertThat(out.at("/profile/name").asText()).isEqualTo("default");
        assertThat(out.at("/profile/slots/0/type").asText()).isEqualTo("keyfile");
        assertThat(java.nio.file.Files.getPosixFilePermissions(fresh.home().resolve("vault.db")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(java.nio.file.Files.readString(fresh.home().resolve("config.toml"))).contains("storage.backend = 'sqlite'");
        assertThat(fresh.run("store", "--content", "first").exit()).isZero();
        assertError(fresh.run("init", "--json"), 2, "INPUT_STATE");
    }

    @Test
    void store_thenRecall_returnsTheExactBytes_andShowListSearchSeeMetadataOnly() throws Exception {
        String id = store("the launch code is 0000", "--metadata", "{\"topic\":\"launch plans\"}", "--classification", "2");
        Launcher.Run recall = vault.run("recall", id, "--justification", "checking the plan");
        assertThat(recall.exit()).as(recall.toString()).isZero();
        assertThat(recall.out()).isEqualTo("the launch code is 0000");

        JsonNode shown = json(vault.run("show", id, "--json"));
        assertThat(shown.get("classification").asInt()).isEqualTo(2);
        assertThat(shown.at("/metadata/topic").asText()).isEqualTo("launch plans");
        assertThat(shown.toString()).doesNotContain("0000");
        assertThat(shown.get("last_recalled_at").isNull()).isFalse();

        JsonNode listed = json(vault.run("list", "--json"));
        assertThat(listed.get("memories")).hasSize(1);
        JsonNode hits = json(vault.run("search", "launch", "--json"));
        assertThat(hits.get("hits")).hasSize(1);
        assertThat(hits.at("/hits/0/id").asText()).isEqualTo(id);
        JsonNode byJustification = json(vault.run("search", "checking", "--justifications", "--json"));
        assertThat(byJustification.get("hits")).hasSize(1);
    }

    @Test
    void recallJson_givesBase64_andBinaryContentSurvives() throws Exception {
        Path file = tmp.resolve("blob.bin");
        byte[] bytes = new byte[4096];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(file, bytes);
        Launcher.Run stored = vault.run("store", "--file", file.toString(), "--json");
        String id = json(stored).get("id").asText();
        JsonNode r = json(vault.run("recall", id, "--justification", "test", "--json"));
        assertThat(Base64.getDecoder().decode(r.get("content_base64").asText())).isEqualTo(bytes);
        Launcher.Run raw = vault.run("recall", id, "--justification", "raw");
        assertThat(raw.stdout()).isEqualTo(bytes);
    }

    @Test
    void badInput_getsAStableCode_andTheDocumentedExit() throws Exception {
        assertError(vault.run("recall", "not-a-uuid", "--justification", "x", "--json"), 2, "INPUT_MEMORY_ID");
        assertError(vault.run("recall", UUID.randomUUID().toString(), "--justification", "x", "--json"), 3, "NOT_FOUND_MEMORY");
        assertError(vault.run("show", UUID.randomUUID().toString(), "--json"), 3, "NOT_FOUND_MEMORY");
        assertError(vault.run("store", "--content", "x", "--classification", "7", "--json"), 2, "INPUT_CLASSIFICATION");
        assertError(vault.run("store", "--content", "x", "--metadata", "[1,2]", "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", "{oops", "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--profile", "nobody", "--json"), 3, "NOT_FOUND_PROFILE");
        assertError(vault.run("store", "--content", "x", "--cooldown", "soon", "--json"), 2, "INPUT_DURATION");
        assertError(vault.run("store", "--bogus-flag", "--json"), 2, "INPUT_INVALID");
        assertThat(json(vault.run("list", "--json")).get("memories")).isEmpty();
    }

    @Test
    void contentOverTheConfiguredMaximum_isRefused_andNothingIsStored() throws Exception {
        assertThat(vault.run("config", "set", "content.max-bytes", "10").exit()).isZero();
        Launcher.Run r = vault.runWithInput("eleven bytes".getBytes(StandardCharsets.UTF_8), "store", "--json");
        assertError(r, 2, "INPUT_CONTENT_TOO_LARGE");
        assertThat(json(vault.run("list", "--json")).get("memories")).isEmpty();
    }

    @Test
    void searchFullOfOperators_isHarmless() throws Exception {
        store("x", "--metadata", "{\"topic\":\"near or and\",\"col\":\"x\"}");
        Launcher.Run r = vault.run("search", "\"NEAR( ) OR * : ^ -col:x AND \"\"\" near", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(json(r).get("hits")).hasSize(1);
        assertError(vault.run("search", "\"*^:()\"", "--json"), 2, "INPUT_QUERY");
    }

    @Test
    void editingAnyBoundField_orACiphertextByte_makesRecallAnIntegrityFailure() throws Exception {
        // six deliberate integrity refusals in a row would (rightly) trip the anomaly lockdown
        assertThat(vault.run("config", "set", "anomaly.enabled", "false").exit()).isZero();
        String[] edits = {
            "UPDATE memories SET classification = 1 WHERE id = ?",
            "UPDATE memories SET created_by = 'mallory' WHERE id = ?",
            "UPDATE memories SET created_at = created_at + 1 WHERE id = ?",
            "UPDATE memories SET ciphertext = CAST(substr(ciphertext, 1, 3) || (CASE WHEN substr(ciphertext, 4, 1) = x'00' THEN x'01' ELSE x'00' END) || substr(ciphertext, 5) AS BLOB) WHERE id = ?",
            "UPDATE memories SET nonce = zeroblob(24) WHERE id = ?",
        };
        for (String edit : edits) {
            String id = store("secret " + edit, "--classification", "2");
            try (Connection c = db(); PreparedStatement ps = c.prepareStatement(edit)) {
                ps.setString(1, id);
                assertThat(ps.executeUpdate()).as(edit).isEqualTo(1);
            }
            assertError(vault.run("recall", id, "--justification", "tamper test", "--json"), 5, "INTEGRITY_TAMPERED");
        }
        String id = store("moved memory", "--classification", "2");
        String newId = UUID.randomUUID().toString();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("UPDATE memories SET id = ? WHERE id = ?")) {
            ps.setString(1, newId);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        assertError(vault.run("recall", newId, "--justification", "tamper test", "--json"), 5, "INTEGRITY_TAMPERED");
    }

    @Test
    void memoryMovedToAnotherProfile_failsIntegrity() throws Exception {
        assertThat(vault.run("profile", "create", "other").exit()).isZero();
        String id = store("belongs to default");
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("UPDATE memories SET profile_id = 'other' WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        Launcher.Run r = vault.run("recall", id, "--justification", "tamper", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
    }

    @Test
    void passphraseProfile_wrongPassphraseIsExit4_sessionUnlockWorksAcrossProcesses_andLockEndsIt() throws Exception {
        Path good = tmp.resolve("good.pass");
        Launcher.secretFile(good, "correct horse battery staple\n");
        Path bad = tmp.resolve("bad.pass");
        Launcher.secretFile(bad, "wrong horse battery staple\n");
        assertThat(vault.run("config", "set", "kdf.preset", "interactive").exit()).isZero();
        Launcher.Run created = vault.run("profile", "create", "human", "--no-key-file",
                "--new-passphrase-file", good.toString());
        assertThat(created.exit()).as(created.toString()).isZero();

        Launcher.Run wrong = vault.run("store", "--profile", "human", "--content", "x", "--passphrase-file", bad.toString(), "--json");
        assertError(wrong, 4, "ACCESS_WRONG_SECRET");
        assertThat(json(wrong).at("/error/message").asText()).doesNotContain("slot");
        assertError(vault.run("store", "--profile", "human", "--content", "x", "--json"), 2, "INPUT_SECRET_MISSING");

        JsonNode session = json(vault.run("profile", "unlock", "human", "--passphrase-file", good.toString(), "--json"));
        String token = session.get("session").asText();
        Path record = vault.home().resolve("sessions");
        try (var files = Files.list(record)) {
            files.forEach(f -> {
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        vault.env("MEMORY_VAULT_SESSION", token);
        String id = store("remembered with a session", "--profile", "human");
        assertThat(vault.run("recall", id, "--justification", "session").out()).isEqualTo("remembered with a session");

        assertThat(vault.run("profile", "lock", "human").exit()).isZero();
        assertError(vault.run("recall", id, "--justification", "after lock", "--json"), 2, "INPUT_SECRET_MISSING");
    }

    @Test
    void lockdown_refusesStoreAndRecall_andOnlyThePassphraseLetsTheOwnerOut() throws Exception {
        Path pass = tmp.resolve("owner.pass");
        Launcher.secretFile(pass, "owner passphrase 42");
        assertThat(vault.run("config", "set", "kdf.preset", "interactive").exit()).isZero();
        Launcher.Run added = vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", pass.toString());
        assertThat(added.exit()).as(added.toString()).isZero();
        String id = store("before lockdown");

        assertThat(vault.run("lockdown", "enter", "--reason", "test").exit()).isZero();
        assertError(vault.run("recall", id, "--justification", "x", "--json"), 4, "ACCESS_LOCKDOWN");
        assertError(vault.run("store", "--content", "x", "--json"), 4, "ACCESS_LOCKDOWN");
        assertThat(json(vault.run("lockdown", "status", "--json")).get("active").asBoolean()).isTrue();

        Path wrong = tmp.resolve("wrong.pass");
        Launcher.secretFile(wrong, "not the owner at all");
        assertError(vault.run("lockdown", "exit", "--passphrase-file", wrong.toString(), "--json"), 4, "ACCESS_WRONG_SECRET");
        assertError(vault.run("lockdown", "exit", "--json"), 2, "INPUT_SECRET_MISSING");
        assertThat(vault.run("lockdown", "exit", "--passphrase-file", pass.toString()).exit()).isZero();
        assertThat(vault.run("recall", id, "--justification", "after lockdown").out()).isEqualTo("before lockdown");
    }

    @Test
    void keySlots_lastSlotCannotBeRemoved_andAnySlotOpensTheProfile() throws Exception {
        assertError(vault.run("profile", "remove-slot", "default", "0", "--json"), 2, "INPUT_LAST_SLOT");
        Path pass = tmp.resolve("p.pass");
        Launcher.secretFile(pass, "recovery passphrase");
        assertThat(vault.run("config", "set", "kdf.preset", "interactive").exit()).isZero();
        assertThat(vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", pass.toString()).exit()).isZero();
        String id = store("open me");
        Path keyFile = vault.home().resolve("keys").resolve("default.key");
        Files.move(keyFile, tmp.resolve("hidden.key"));
        Launcher.Run viaPass = vault.run("recall", id, "--justification", "recovery", "--passphrase-file", pass.toString());
        assertThat(viaPass.out()).as(viaPass.toString()).isEqualTo("open me");
        Files.move(tmp.resolve("hidden.key"), keyFile);
        assertThat(vault.run("profile", "remove-slot", "default", "1").exit())
                .as("once there is a passphrase slot, the key file alone cannot change the slots").isEqualTo(2);
        assertError(vault.run("profile", "remove-slot", "default", "1", "--passphrase-file", pass.toString(), "--json"), 2,
                "INPUT_LAST_SLOT");   // the last passphrase slot holds the owner key
        assertThat(vault.run("recall", id, "--justification", "key file").out()).isEqualTo("open me");
        assertThat(vault.run("profile", "remove-slot", "default", "0", "--passphrase-file", pass.toString()).exit()).isZero();
        assertThat(vault.run("recall", id, "--justification", "passphrase", "--passphrase-file", pass.toString()).out())
                .isEqualTo("open me");
    }

    @Test
    void keyFileWithLoosePermissionsOrWrongSize_isRefused() throws Exception {
        String id = store("x");
        Path keyFile = vault.home().resolve("keys").resolve("default.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertError(vault.run("recall", id, "--justification", "x", "--json"), 2, "INPUT_KEY_FILE");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path shortKey = tmp.resolve("short.key");
        Files.write(shortKey, new byte[31]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertError(vault.run("recall", id, "--justification", "x", "--key-file", shortKey.toString(), "--json"), 2, "INPUT_KEY_FILE");
    }

    @Test
    void tombstone_refusesRecall_andShredDestroysTheCiphertext() throws Exception {
        String id = store("to be forgotten");
        assertThat(vault.run("tombstone", id, "--reason", "obsolete", "--shred").exit()).isZero();
        assertError(vault.run("recall", id, "--justification", "x", "--json"), 4, "ACCESS_TOMBSTONED");
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT ciphertext FROM memories WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isNull();
            }
        }
        assertThat(json(vault.run("list", "--json")).get("memories")).isEmpty();
        assertThat(json(vault.run("list", "--tombstoned", "--json")).get("memories")).hasSize(1);
    }

    @Test
    void cooldown_refusesTheSecondRecallInsideTheWindow() throws Exception {
        String id = store("slow down", "--cooldown", "1h");
        assertThat(vault.run("recall", id, "--justification", "first").exit()).isZero();
        assertError(vault.run("recall", id, "--justification", "second", "--json"), 4, "ACCESS_COOLDOWN");
    }

    @Test
    void sealedLevel_isRefusedByTheLocalGuardWhileOnline_andOpensOnlyForTheOwner() throws Exception {
        String id = store("level three", "--classification", "3");
        boolean machineIsOnline = false;
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) machineIsOnline = true;
        }
        Launcher.Run online = vault.run("recall", id, "--justification", "x", "--json");
        assertThat(online.exit()).isEqualTo(4);
        if (machineIsOnline) {
            assertThat(json(online).at("/error/code").asText()).isEqualTo("ACCESS_BOUNDARY");
            assertThat(json(online).at("/error/message").asText()).contains("interfaces are up");
        } else {
            assertThat(json(online).at("/error/code").asText()).as("offline: the boundary passes, approval refuses").isEqualTo("ACCESS_APPROVAL");
        }
        StringBuilder all = new StringBuilder();
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (all.length() > 0) all.append(',');
            all.append(nif.getName());
        }
        assertThat(vault.run("config", "set", "boundary.local.ignore-interfaces", all.toString()).exit()).isZero();
        // A profile without a passphrase has no owner but its key file (docs/THREAT-MODEL.md): it opens level 3.
        assertThat(vault.run("recall", id, "--justification", "x").out()).isEqualTo("level three");
        Path pass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        assertThat(vault.run("config", "set", "kdf.preset", "interactive").exit()).isZero();
        assertThat(vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", pass.toString()).exit())
                .isZero();
        Launcher.Run noTty = vault.run("recall", id, "--justification", "x", "--json");
        assertError(noTty, 4, "ACCESS_APPROVAL");
        assertThat(json(noTty).at("/error/message").asText()).as("once there is a passphrase, the key file is not the owner")
                .contains("owner's passphrase").contains("a key file or an unlock session does not prove the owner");
        assertThat(vault.run("recall", id, "--justification", "x", "--passphrase-file", pass.toString()).out()).isEqualTo("level three");
    }

    @Test
    void newerSchema_isRefusedWithAClearError_andTheFileIsUnchanged() throws Exception {
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 999");
        }
        byte[] before = Files.readAllBytes(vault.home().resolve("vault.db"));
        assertError(vault.run("list", "--json"), 2, "STORAGE_SCHEMA_NEWER");
        assertThat(Files.readAllBytes(vault.home().resolve("vault.db"))).isEqualTo(before);
    }

    @Test
    void vaultDirectoryAndFiles_areOwnerOnly() throws Exception {
        store("x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault.home()))).isEqualTo("rwx------");
        for (String f : new String[] {"vault.db", "config.toml", "keys/default.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault.home().resolve(f)))).as(f).isEqualTo("rw-------");
        }
    }

    @Test
    void notInitialised_orNotWritable_isAClearError() throws Exception {
        Launcher none = new Launcher(tmp.resolve("nothing-here"));
        assertError(none.run("list", "--json"), 2, "STORAGE_NOT_INITIALISED");
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        Launcher underFile = new Launcher(file.resolve("vault"));
        assertError(underFile.run("init", "--json"), 2, "STORAGE_NOT_WRITABLE");
    }

    @Test
    void twoProcessesStoringAndRecallingAtOnce_bothSucceed() throws Exception {
        String id = store("shared");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var storing = pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    Launcher.Run r = vault.run("store", "--content", "concurrent " + i);
                    if (r.exit() != 0) return r;
                }
                return null;
            });
            var recalling = pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    Launcher.Run r = vault.run("recall", id, "--justification", "concurrent " + i);
                    if (r.exit() != 0) return r;
                }
                return null;
            });
            assertThat(storing.get()).isNull();
            assertThat(recalling.get()).isNull();
        } finally {
            pool.shutdown();
        }
        assertThat(json(vault.run("list", "--json")).get("memories")).hasSize(6);
    }

    @Test
    void bench_reportsEveryFigure_asJson() throws Exception {
        Launcher.Run r = vault.run("bench", "--memories", "2000", "--ops", "200", "--audit-entries", "5000", "--skip-argon2", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode b = json(r);
        assertThat(b.at("/batched_store/per_second").asLong()).isPositive();
        for (String p : new String[] {"/bench_keyfile", "/bench_passphrase"}) {
            assertThat(b.at(p + "/store/per_second").asLong()).isPositive();
            assertThat(b.at(p + "/recall/p99_ms").asDouble()).isPositive();
        }
        assertThat(b.at("/audit/verify_ok").asBoolean()).isTrue();
        assertThat(b.at("/audit/recall_with_large_log/log_entries").asLong()).isGreaterThanOrEqualTo(5000);
        assertThat(b.at("/heap/peak_used_mib").asDouble()).isPositive();
    }
}
