package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holes closed after review, through the launcher: lockdown freezes purges, tombstones and every
 * secret-taking command audit wrong secrets, store keeps sealed content off the command line, argv
 * and metadata are UTF-8 whatever the locale, planted links are never written through, passphrase
 * files must be 0600, metadata and config values are checked (exit 2, never an internal error).
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class HardeningCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        Launcher.initInProcess(vault.home(), java.util.Optional.empty(), false);      // what `vault init` does, in this JVM
    }

    static JsonNode json(Launcher.Run r) throws Exception { return JSON.readTree(r.stdout()); }

    static void assertError(Launcher.Run r, int exit, String code) throws Exception {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(json(r).at("/error/code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
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

    /** Gives the owner profile a passphrase slot (cheap Argon2id); returns the passphrase file. */
    Path ownerPassphrase() {
        Path pass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        assertThat(vault.run("config", "set", "kdf.preset", "interactive").exit()).isZero();
        Launcher.Run added = vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", pass.toString());
        assertThat(added.exit()).as(added.toString()).isZero();
        return pass;
    }

    // ---- 2: purge-ephemeral is frozen by lockdown ------------------------------------------------------------------

    @Test
    void purgeEphemeral_isRefusedInLockdown() throws Exception {
        String id = store("scratch", "--classification", "0");
        assertThat(vault.run("lockdown", "enter", "--reason", "incident").exit()).isZero();

        assertError(vault.run("purge-ephemeral", "--max-age", "0", "--json"), 4, "ACCESS_LOCKDOWN");
        assertThat(vault.run("show", id).exit()).as("nothing was purged").isZero();
    }

    // ---- 3: tombstone needs the owner's secret ---------------------------------------------------------------------

    @Test
    void tombstone_needsTheOwnerProfilesPassphrase_onceItHasOne() throws Exception {
        String id = store("to retire");
        Path pass = ownerPassphrase();
        Path wrong = Launcher.secretFile(tmp.resolve("wrong.pass"), "somebody else's guess");

        assertError(vault.run("tombstone", id, "--reason", "agent with the key file", "--json"), 2, "INPUT_SECRET_MISSING");
        assertError(vault.run("tombstone", id, "--reason", "guess", "--passphrase-file", wrong.toString(), "--json"), 4,
                "ACCESS_WRONG_SECRET");
        assertThat(json(vault.run("show", id, "--json")).get("tombstone").isNull()).isTrue();

        Launcher.Run ok = vault.run("tombstone", id, "--reason", "the owner", "--passphrase-file", pass.toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(json(vault.run("show", id, "--json")).at("/tombstone/by").asText()).isEqualTo("owner");
    }

    // ---- 4: sealed content never on the command line ---------------------------------------------------------------

    @Test
    void storeContent_isRefusedFromLevelThree_stdinAndFileWork() throws Exception {
        Launcher.Run refused = vault.run("store", "--content", "the vault combination", "--classification", "3", "--json");
        assertError(refused, 2, "INPUT_INVALID");
        assertThat(json(refused).at("/error/message").asText()).contains("stdin").contains("--file");
        assertError(vault.run("store", "--content", "x", "--classification", "black", "--json"), 2, "INPUT_INVALID");
        assertThat(json(vault.run("list", "--json")).get("memories")).isEmpty();

        Path file = tmp.resolve("secret.txt");
        Files.writeString(file, "from a file");
        assertThat(vault.run("store", "--file", file.toString(), "--classification", "3").exit()).isZero();
        store("from stdin", "--classification", "4");
        assertThat(vault.run("store", "--content", "working note", "--classification", "2").exit()).isZero();
        assertThat(json(vault.run("list", "--json")).get("memories")).hasSize(3);
    }

    // ---- 5: wrong secrets are audited and counted, whatever the command --------------------------------------------

    @Test
    void wrongPassphrasesOnConfigSet_areAudited_andTriggerLockdownAtTheThreshold() throws Exception {
        Path pass = ownerPassphrase();
        assertThat(vault.run("config", "set", "anomaly.max-refusals-per-requester", "3", "--passphrase-file", pass.toString()).exit())
                .isZero();
        Path wrong = Launcher.secretFile(tmp.resolve("guess.pass"), "guess number one");

        for (int i = 0; i < 3; i++) {
            assertThat(json(vault.run("lockdown", "status", "--json")).get("active").asBoolean()).as("before attempt " + i).isFalse();
            assertError(vault.run("config", "set", "anomaly.enabled", "false", "--passphrase-file", wrong.toString(), "--json"), 4,
                    "ACCESS_WRONG_SECRET");
        }

        JsonNode entries = json(vault.run("audit", "log", "--type", "secret.refused", "--json")).get("entries");
        assertThat(entries).hasSize(3);
        JsonNode first = entries.get(0).get("entry");
        assertThat(first.get("command").asText()).isEqualTo("config set");
        assertThat(first.get("profile").asText()).isEqualTo("default");
        assertThat(first.get("code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
        assertThat(vault.run("audit", "log", "--limit", "100").out()).doesNotContain("guess number one");

        JsonNode status = json(vault.run("lockdown", "status", "--json"));
        assertThat(status.get("active").asBoolean()).isTrue();
        assertThat(status.get("reason").asText()).isEqualTo("anomaly: 3 wrong secrets for profile default within 10m");
        assertThat(status.get("by").asText()).isEqualTo("anomaly-detector");
        assertThat(vault.run("config", "get", "anomaly.enabled").out().strip()).as("nothing was changed").isEqualTo("true");
        assertThat(vault.run("lockdown", "exit", "--passphrase-file", pass.toString()).exit()).isZero();
    }

    @Test
    void wrongSecrets_areAuditedForEverySecretTakingCommand() throws Exception {
        Path pass = ownerPassphrase();
        assertThat(vault.run("config", "set", "anomaly.max-refusals-per-requester", "100", "--passphrase-file", pass.toString()).exit())
                .isZero();
        Path wrong = Launcher.secretFile(tmp.resolve("guess.pass"), "a wrong guess");
        Path next = Launcher.secretFile(tmp.resolve("next.pass"), "a brand new passphrase");
        String id = store("x");
        String w = wrong.toString();
        Path human = Launcher.secretFile(tmp.resolve("human.pass"), "the human's passphrase");
        assertThat(vault.run("profile", "create", "human", "--no-key-file", "--new-passphrase-file", human.toString())
                .exit()).isZero();

        assertError(vault.run("profile", "unlock", "human", "--passphrase-file", w, "--json"), 4, "ACCESS_WRONG_SECRET");
        assertError(vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", next.toString(),
                "--passphrase-file", w, "--json"), 4, "ACCESS_WRONG_SECRET");
        assertError(vault.run("profile", "rewrap", "default", "1", "--new-passphrase-file", next.toString(), "--passphrase-file", w,
                "--json"), 4, "ACCESS_WRONG_SECRET");
        assertError(vault.run("profile", "remove-slot", "default", "0", "--passphrase-file", w, "--json"), 4, "ACCESS_WRONG_SECRET");
        assertError(vault.run("tombstone", id, "--reason", "r", "--passphrase-file", w, "--json"), 4, "ACCESS_WRONG_SECRET");
        assertThat(vault.run("lockdown", "enter").exit()).isZero();
        assertError(vault.run("lockdown", "exit", "--passphrase-file", w, "--json"), 4, "ACCESS_WRONG_SECRET");

        JsonNode entries = json(vault.run("audit", "log", "--type", "secret.refused", "--json")).get("entries");
        java.util.List<String> commands = new java.util.ArrayList<>();
        for (JsonNode e : entries) commands.add(e.get("entry").get("command").asText());
        assertThat(commands).containsExactly("profile unlock", "profile add-slot", "profile rewrap", "profile remove-slot",
                "tombstone", "lockdown exit");
    }

    // ---- 6: UTF-8 whatever the locale -----------------------------------------------------------------------------

    @Test
    void argvAndMetadata_areUtf8_underLangC_andInvalidUtf8IsRefused() throws Exception {
        vault.env("LANG", "C").env("LC_ALL", "C");
        // the bytes of "café" in UTF-8, written as octal escapes so no JVM charset touches them
        Launcher.Run stored = vault.runShell("store --json --content x --metadata \"$(printf '{\"k\":\"caf\\303\\251\"}')\"");
        assertThat(stored.exit()).as(stored.toString()).isZero();
        String id = json(stored).get("id").asText();
        JsonNode shown = json(vault.run("show", id, "--json"));
        assertThat(shown.at("/metadata/k").asText()).isEqualTo("café");
        assertThat(vault.run("show", id).out()).doesNotContain("\uFFFD");
        assertThat(json(vault.runShell("search --json \"$(printf 'caf\\303\\251')\"")).get("hits")).hasSize(1);

        Launcher.Run invalid = vault.runShell("store --json --content x --metadata \"$(printf '{\"k\":\"caf\\351\"}')\"");
        assertError(invalid, 2, "INPUT_INVALID");
        assertThat(json(invalid).at("/error/message").asText()).contains("UTF-8");
        assertError(vault.runShell("store --json --content \"$(printf 'a\\377b')\""), 2, "INPUT_INVALID");
        assertThat(json(vault.run("list", "--json")).get("memories")).hasSize(1);
    }

    // ---- 7: planted links are never written through ---------------------------------------------------------------

    @Test
    void aSymlinkInPlaceOfASessionRecord_neverMakesLockZeroOrDeleteItsTarget() throws Exception {
        Launcher.Run unlocked = vault.run("profile", "unlock", "default", "--json");
        assertThat(unlocked.exit()).as(unlocked.toString()).isZero();
        Path sessions = vault.home().resolve("sessions");
        Path record = sessions.resolve("default.session");
        assertThat(record).isRegularFile();
        Path precious = tmp.resolve("precious.txt");
        Files.writeString(precious, "the owner's thesis, not a session record");
        Files.delete(record);
        Files.createSymbolicLink(record, precious);
        Files.createSymbolicLink(sessions.resolve("other.session"), precious);

        Launcher.Run one = vault.run("profile", "lock", "default");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(precious).hasContent("the owner's thesis, not a session record");
        Launcher.Run all = vault.run("profile", "lock");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(precious).hasContent("the owner's thesis, not a session record");
        assertThat(Files.exists(record, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the link itself is removed").isFalse();
    }

    @Test
    void planted_linksInPlaceOfVaultFiles_areRefusedOrReplaced_neverWrittenThrough() throws Exception {
        Path pass = ownerPassphrase();
        Path precious = tmp.resolve("precious.toml");
        Files.writeString(precious, "# someone else's file\n" + Files.readString(vault.home().resolve("config.toml")));
        String before = Files.readString(precious);
        Path config = vault.home().resolve("config.toml");
        Files.delete(config);
        Files.createSymbolicLink(config, precious);
        assertThat(vault.run("config", "set", "unlock.ttl", "5m", "--passphrase-file", pass.toString()).exit()).isZero();
        assertThat(precious).hasContent(before);
        assertThat(Files.isSymbolicLink(config)).as("the link was replaced by the vault's own file").isFalse();

        Path target = tmp.resolve("elsewhere.json");
        Path out = tmp.resolve("archive.json");
        Files.createSymbolicLink(out, target);
        assertError(vault.run("audit", "archive", "--out", out.toString(), "--json"), 2, "INPUT_INVALID");
        assertThat(target).doesNotExist();

        Path wal = vault.home().resolve("vault.db-wal");
        Files.deleteIfExists(wal);
        Path walTarget = tmp.resolve("wal-target");
        Files.writeString(walTarget, "keep me");
        Files.createSymbolicLink(wal, walTarget);
        assertError(vault.run("list", "--json"), 2, "STORAGE_NOT_WRITABLE");
        assertThat(walTarget).hasContent("keep me");
    }

    // ---- 8: passphrase files are 0600 like key files -------------------------------------------------------------

    @Test
    void passphraseFilesWithGroupOrOtherBits_areRefused() throws Exception {
        Path pass = ownerPassphrase();
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r-----"));
        Launcher.Run loose = vault.run("config", "set", "unlock.ttl", "5m", "--passphrase-file", pass.toString(), "--json");
        assertError(loose, 2, "INPUT_PASSPHRASE_FILE");
        assertThat(json(loose).at("/error/message").asText()).contains("chmod 600");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw----r--"));
        String id = store("x");
        assertError(vault.run("tombstone", id, "--reason", "r", "--passphrase-file", pass.toString(), "--json"), 2,
                "INPUT_PASSPHRASE_FILE");

        Path newPass = tmp.resolve("new.pass");
        Files.writeString(newPass, "a world-readable new passphrase");
        Files.setPosixFilePermissions(newPass, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        assertError(vault.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", newPass.toString(),
                "--passphrase-file", pass.toString(), "--json"), 2, "INPUT_PASSPHRASE_FILE");
        assertThat(vault.run("config", "set", "unlock.ttl", "5m", "--passphrase-file", pass.toString()).exit()).isZero();
    }

    // ---- 9: metadata limits ---------------------------------------------------------------------------------------

    static String nested(int depth) { return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth); }

    @Test
    void metadata_depthValuesSizeAndNumbers_areCheckedWithExit2() throws Exception {
        assertError(vault.run("store", "--content", "x", "--metadata", nested(5000), "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", nested(33), "--json"), 2, "INPUT_METADATA");
        assertThat(vault.run("store", "--content", "x", "--metadata", nested(32)).exit()).isZero();

        StringBuilder many = new StringBuilder("{\"a\":[");
        for (int i = 0; i < 1000; i++) many.append(i == 0 ? "" : ",").append(i);
        assertError(vault.run("store", "--content", "x", "--metadata", many + "]}", "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", "{\"a\":\"" + "y".repeat(70_000) + "\"}", "--json"), 2,
                "INPUT_METADATA");
        Launcher.Run huge = vault.run("store", "--content", "x", "--metadata", "{\"n\":1e999999}", "--json");
        assertError(huge, 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", "{\"n\":-1e999999}", "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", "{\"a\":1,\"a\":2}", "--json"), 2, "INPUT_METADATA");
        assertError(vault.run("store", "--content", "x", "--metadata", "{\"a\":1} {}", "--json"), 2, "INPUT_METADATA");
        assertThat(json(vault.run("list", "--json")).get("memories")).hasSize(1);
        assertThat(vault.run("list", "--json").out()).doesNotContain("Infinity");
    }

    // ---- 10: config values are type-checked -----------------------------------------------------------------------

    @Test
    void configValues_areCheckedForTheirKeysType_withExit2_neverAnInternalError() throws Exception {
        assertError(vault.run("config", "set", "principals.x.y", "3", "--json"), 2, "INPUT_CONFIG");
        assertError(vault.run("config", "set", "principals.x", "3", "--json"), 2, "INPUT_CONFIG");   // retired: vault principal add
        assertThat(vault.run("config", "set", "approval.ttl", "5m").exit()).isZero();
        assertError(vault.run("config", "set", "approval.ttl.x", "3", "--json"), 2, "INPUT_CONFIG");
        assertError(vault.run("config", "set", "unlock.ttl", "soon", "--json"), 2, "INPUT_CONFIG");
        assertError(vault.run("config", "set", "content.max-bytes", "9223372036854775807", "--json"), 2, "INPUT_CONFIG");
        assertError(vault.run("config", "set", "anomaly.enabled", "yes", "--json"), 2, "INPUT_CONFIG");
        assertError(vault.run("config", "set", "boundary.token-file", "relative/token", "--json"), 2, "INPUT_CONFIG");
        assertThat(json(vault.run("config", "list", "--json")).get("settings").get("approval.ttl").asText()).isEqualTo("5m");
        assertThat(vault.run("list").exit()).as("the vault still opens").isZero();
    }
}
