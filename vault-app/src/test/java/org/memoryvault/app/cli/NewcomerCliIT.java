package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer hit, through the launcher: one meaning per secret flag, the lockdown way out of a
 * vault without a passphrase, settings frozen in lockdown, a broken config.toml that names its line
 * and can be repaired, typed settings, empty content, recall to a terminal, the quick verify, the
 * notice before a slow key derivation.
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command
class NewcomerCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    static JsonNode json(Launcher.Run r) throws Exception { return JSON.readTree(r.stdout()); }

    static void assertError(Launcher.Run r, int exit, String code) throws Exception {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(json(r).at("/error/code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** {@code vault init} through the CLI (cheap Argon2id) with its JSON answer. */
    static JsonNode init(Launcher v, String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = "init";
        args[1] = "--kdf-preset";
        args[2] = "interactive";
        args[3] = "--json";
        System.arraycopy(extra, 0, args, 4, extra.length);
        Launcher.Run r = v.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return json(r);
    }

    /** Runs {@code vault --vault HOME <words>} under a real pseudo-terminal; returns what the terminal showed. */
    static String underATerminal(Path home, String words) throws Exception {
        Process p = new ProcessBuilder("script", "-qec", Launcher.VAULT + " --vault " + home + " " + words, "/dev/null")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no end in 120 s: " + words);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void initsSecretFlags_passphraseFileProvesOnly_newPassphraseFileCreates_andTheEnvironmentNeverMakesASlot() throws Exception {
        Path pass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher refused = new Launcher(tmp.resolve("refused"));
        assertError(refused.run("init", "--passphrase-file", pass.toString(), "--json"), 2, "INPUT_INVALID");
        assertThat(refused.home()).as("a refused init leaves nothing").doesNotExist();

        JsonNode owner = init(new Launcher(tmp.resolve("owner")), "--new-passphrase-file", pass.toString());
        assertThat(owner.at("/profile/slots")).extracting(s -> s.get("type").asText()).containsExactly("keyfile", "passphrase");
        assertThat(owner.get("owner_passphrase").asBoolean()).isTrue();
        assertThat(owner.has("recovery_code")).isFalse();

        // the variable alone: refused (nothing is made), naming both ways on; a vault without a passphrase is then explicit
        Launcher envOnly = new Launcher(tmp.resolve("env")).env("MEMORY_VAULT_PASSPHRASE_FILE", pass.toString());
        Launcher.Run envRefused = envOnly.run("init", "--kdf-preset", "interactive", "--json");
        assertError(envRefused, 2, "INPUT_INVALID");
        assertThat(json(envRefused).at("/error/message").asText()).contains("--new-passphrase-file \"$MEMORY_VAULT_PASSPHRASE_FILE\"")
                .contains("--no-passphrase");
        assertThat(envOnly.home()).as("a refused init leaves nothing").doesNotExist();
        Launcher.Run r = envOnly.run("init", "--kdf-preset", "interactive", "--no-passphrase", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(json(r).at("/profile/slots")).extracting(s -> s.get("type").asText()).containsExactly("keyfile", "recovery-code");
        JsonNode fromEnv = init(new Launcher(tmp.resolve("env-owner")).env("MEMORY_VAULT_PASSPHRASE_FILE", pass.toString()),
                "--new-passphrase-file", pass.toString());
        assertThat(fromEnv.get("owner_passphrase").asBoolean()).isTrue();

        Launcher ownerVault = new Launcher(tmp.resolve("owner"));
        Launcher.Run keyFileOnly = ownerVault.run("profile", "create", "work", "--passphrase-file", pass.toString());
        assertThat(keyFileOnly.exit()).as(keyFileOnly.toString()).isZero();
        assertThat(keyFileOnly.out()).contains("1 key slot(s): keyfile").contains("no passphrase");
        Path workPass = Launcher.secretFile(tmp.resolve("work.pass"), "work's own passphrase");
        Launcher.Run withPass = ownerVault.run("profile", "create", "home", "--new-passphrase-file", workPass.toString(),
                "--passphrase-file", pass.toString(), "--json");
        assertThat(withPass.exit()).as(withPass.toString()).isZero();
        assertThat(json(withPass).get("slots")).extracting(s -> s.get("type").asText()).containsExactly("keyfile", "passphrase");
        Launcher.Run labelled = ownerVault.run("profile", "add-slot", "home", "--type", "passphrase", "--label", "recovery, in the safe",
                "--new-passphrase-file", workPass.toString(), "--passphrase-file", workPass.toString(), "--json");
        assertThat(labelled.exit()).as(labelled.toString()).isZero();
        assertThat(json(labelled).get("label").asText()).isEqualTo("recovery, in the safe");
    }

    @Test
    void aVaultWithoutPassphrase_leavesLockdownOnlyWithItsRecoveryCode_andSettingsAreFrozenMeanwhile() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        String code = init(v).get("recovery_code").asText();
        assertThat(code).matches("([a-z2-7]{4}-){7}[a-z2-7]{4}");
        assertThat(v.run("lockdown", "enter", "--reason", "test").exit()).isZero();

        Launcher.Run keyFileAlone = v.run("lockdown", "exit", "--json");
        assertThat(keyFileAlone.exit()).as("the key file alone does not lift lockdown: " + keyFileAlone).isNotZero();
        assertError(v.run("config", "set", "lockdown.exit-secret", "any", "--json"), 4, "ACCESS_LOCKDOWN");
        assertError(v.run("config", "unset", "kdf.preset", "--json"), 4, "ACCESS_LOCKDOWN");
        Path pass = Launcher.secretFile(tmp.resolve("new.pass"), "a passphrase the agent chose");
        assertError(v.run("profile", "add-slot", "default", "--type", "passphrase", "--new-passphrase-file", pass.toString(), "--json"),
                4, "ACCESS_LOCKDOWN");
        Path wrong = Launcher.secretFile(tmp.resolve("wrong.code"), "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg-hhhh");
        assertError(v.run("lockdown", "exit", "--passphrase-file", wrong.toString(), "--json"), 4, "ACCESS_WRONG_SECRET");
        assertThat(json(v.run("lockdown", "status", "--json")).get("active").asBoolean()).isTrue();

        Path typed = Launcher.secretFile(tmp.resolve("code"), code.toUpperCase(java.util.Locale.ROOT).replace('-', ' ') + "\n");
        Launcher.Run out = v.run("lockdown", "exit", "--passphrase-file", typed.toString(), "--json");
        assertThat(out.exit()).as(out.toString()).isZero();
        assertThat(json(out).get("active").asBoolean()).isFalse();
        assertThat(json(out).get("since").asText()).as("the resulting state, not nulls").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json(out).get("by").asText()).isEqualTo("owner");
        assertThat(v.run("config", "set", "kdf.preset", "interactive").exit()).as("settings thaw after lockdown").isZero();
    }

    @Test
    void aBrokenConfig_namesFileLineAndKey_refusesOtherCommands_andConfigRepairsIt() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        Path config = v.home().resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "boundary.gaurd = \"daemon\"\n");
        int typoLine = (int) Files.readString(config).lines().count();

        Launcher.Run list = v.run("list", "--json");
        assertError(list, 2, "INPUT_CONFIG");
        String message = json(list).at("/error/message").asText();
        assertThat(message).contains(config.toString()).contains("line " + typoLine).contains("boundary.gaurd")
                .contains("vault config unset boundary.gaurd");
        Files.writeString(config, Files.readString(config) + "approval.ttl = \"soon\"\n");
        assertThat(json(v.run("list", "--json")).at("/error/message").asText()).contains("approval.ttl").contains("1 more");

        Launcher.Run shown = v.run("config", "list", "--json");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(json(shown).get("problems")).extracting(p -> p.get("key").asText()).containsExactly("approval.ttl", "boundary.gaurd");
        assertThat(v.run("config", "unset", "boundary.gaurd").exit()).isZero();
        assertThat(v.run("config", "set", "approval.ttl", "5m").exit()).isZero();
        assertThat(v.run("list").exit()).isZero();
        assertThat(Files.readString(config)).doesNotContain("gaurd").doesNotContain("soon");
        assertThat(v.run("verify", "--json").exit()).as("the repairs were owner ceremonies: the seal agrees").isZero();
    }

    @Test
    void aKeySetAside_isNeverWrittenBackAsAnotherKey_andAFailedRepairChangesNothing() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        Path config = v.home().resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "aaa = 1\n\"lockdown.exit-secret.\" = \"any\"\n");
        String planted = Files.readString(config);
        assertError(v.run("config", "unset", "aaa", "--json"), 2, "INPUT_CONFIG");
        assertThat(Files.readString(config)).as("nothing written").isEqualTo(planted);
        assertThat(json(v.run("config", "list", "--json")).at("/settings/lockdown.exit-secret").asText()).isEqualTo("passphrase");
    }

    @Test
    void inLockdown_aPlantedExitSetting_andResealingIt_areNoWayOutForTheKeyFile() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        assertThat(v.run("lockdown", "enter").exit()).isZero();
        Path config = v.home().resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "lockdown.exit-secret = 'any'\n");
        Launcher.Run reseal = v.run("reseal", "--json");
        assertThat(reseal.exit()).as("accepting the edit needs the recovery code during lockdown: " + reseal).isNotZero();
        Launcher.Run exit = v.run("lockdown", "exit", "--json");
        assertThat(exit.exit()).as(exit.toString()).isNotZero();
        assertThat(json(v.run("lockdown", "status", "--json")).get("active").asBoolean()).isTrue();
    }

    @Test
    void settingsAreTyped_inTomlAndJson() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        assertThat(v.run("config", "set", "anomaly.max-refusals-total", "30").exit()).isZero();
        assertThat(v.run("config", "set", "anomaly.enabled", "false").exit()).isZero();
        String toml = Files.readString(v.home().resolve("config.toml"));
        assertThat(toml).contains("max-refusals-total = 30").contains("enabled = false").doesNotContain("'30'").doesNotContain("'false'");
        JsonNode settings = json(v.run("config", "list", "--json")).get("settings");
        assertThat(settings.get("anomaly.max-refusals-total").isIntegralNumber()).isTrue();
        assertThat(settings.get("anomaly.enabled").isBoolean()).isTrue();
        assertThat(settings.get("approval.ttl").isTextual()).isTrue();
        assertThat(json(v.run("config", "get", "anomaly.max-refusals-total", "--json")).get("value").asInt()).isEqualTo(30);
    }

    @Test
    void emptyContent_isRefusedUnlessAllowed() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        assertError(v.run("store", "--json"), 2, "INPUT_INVALID");
        assertThat(json(v.run("list", "--json")).get("memories")).isEmpty();
        Launcher.Run allowed = v.run("store", "--allow-empty", "--json");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
    }

    @Test
    void recall_toATerminal_endsTextWithANewline_refusesBinary_whilePipesGetTheExactBytes() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        String text = json(v.runWithInput("no newline at the end".getBytes(StandardCharsets.UTF_8), "store", "--json")).get("id").asText();
        byte[] binary = {0x1b, '[', '2', 'J', 0, (byte) 0xff};
        String bin = json(v.runWithInput(binary, "store", "--json")).get("id").asText();

        assertThat(v.run("recall", text, "--justification", "pipe").stdout()).isEqualTo("no newline at the end".getBytes(StandardCharsets.UTF_8));
        assertThat(v.run("recall", bin, "--justification", "pipe").stdout()).isEqualTo(binary);
        assertThat(underATerminal(v.home(), "recall " + text + " --justification tty")).isEqualTo("no newline at the end\r\n");
        String refused = underATerminal(v.home(), "recall " + bin + " --justification tty");
        assertThat(refused).contains("binary").contains("--output FILE").doesNotContain("\u001b[2J");
        Path out = tmp.resolve("out.bin");
        assertThat(v.run("recall", bin, "--justification", "file", "--output", out.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(binary);
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertError(v.run("recall", bin, "--justification", "again", "--output", out.toString(), "--json"), 2, "INPUT_INVALID");
    }

    @Test
    void verify_withoutDeep_isTheQuickCheck() throws Exception {
        Launcher v = new Launcher(tmp.resolve("v"));
        init(v);
        Launcher.Run quick = v.run("verify", "--json");
        assertThat(quick.exit()).as(quick.toString()).isZero();
        assertThat(json(quick).get("deep").asBoolean()).isFalse();
        assertThat(json(quick).get("owner_seal").asText()).isEqualTo("ok");
        assertThat(json(quick).has("checked")).isFalse();
        assertThat(json(v.run("verify", "--deep", "--json")).get("checked").asInt()).isZero();
    }

    @Test
    void aSlowKeyDerivation_isAnnouncedOnATerminal_only() throws Exception {
        Path pass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        String shown = underATerminal(tmp.resolve("tty"), "init --kdf-preset moderate --new-passphrase-file " + pass);
        assertThat(shown).contains("deriving key: Argon2id, 256 MiB, 3 passes");
        Launcher.Run piped = new Launcher(tmp.resolve("pipe")).run("init", "--kdf-preset", "moderate", "--new-passphrase-file", pass.toString());
        assertThat(piped.exit()).as(piped.toString()).isZero();
        assertThat(piped.stderr()).doesNotContain("deriving key");
    }
}
