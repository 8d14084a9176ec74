package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.hardware.tpm.Swtpm;

/**
 * A TPM key slot end to end (issue 11): a real software TPM (swtpm), the CLI in real processes. A
 * profile with a TPM slot and the owner's (recovery) passphrase slot stores and recalls with the TPM
 * alone; after a PCR extend the TPM refuses, and the passphrase slot still opens the profile.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("tpm")
class TpmCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void aTpmSlotOpensTheProfile_untilAPcrChanges_thenThePassphraseSlotStillDoes() throws Exception {
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            Launcher vault = new Launcher(tmp.resolve("vault")).env("MEMORY_VAULT_TPM", tpm.device());
            Path ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's recovery passphrase");
            Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true);

            Launcher.Run status = vault.run("hardware", "status", "--json");
            assertThat(status.exit()).as(status.toString()).isZero();
            assertThat(JSON.readTree(status.stdout()).at("/tpm/answers").asBoolean()).isTrue();

            Launcher.Run added = vault.run("profile", "add-slot", "default", "--type", "tpm2", "--passphrase-file", ownerPass.toString(),
                    "--json");
            assertThat(added.exit()).as(added.toString()).isZero();
            assertThat(JSON.readTree(added.stdout()).get("type").asText()).isEqualTo("tpm2");

            Launcher.Run stored = vault.runWithInput("sealed by the machine".getBytes(StandardCharsets.UTF_8), "store", "-c", "2", "--json");
            assertThat(stored.exit()).as(stored.toString()).isZero();
            String id = JSON.readTree(stored.stdout()).get("id").asText();

            // the key file goes offline: from now on the TPM (or the passphrase) opens the profile
            Files.move(vault.home().resolve("keys/default.key"), tmp.resolve("default.key.offline"));
            Launcher.Run byTpm = vault.run("recall", id, "--justification", "tpm");
            assertThat(byTpm.exit()).as(byTpm.toString()).isZero();
            assertThat(byTpm.out()).isEqualTo("sealed by the machine");

            tpm.extendPcr(7);                                        // the boot chain changed
            Launcher.Run refused = vault.run("recall", id, "--justification", "tpm", "--json");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
            JsonNode error = JSON.readTree(refused.stdout()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
            assertThat(error.get("message").asText()).contains("PCR 7");

            Launcher.Run byPassphrase = vault.run("recall", id, "--justification", "tpm", "--passphrase-file", ownerPass.toString());
            assertThat(byPassphrase.exit()).as(byPassphrase.toString()).isZero();
            assertThat(byPassphrase.out()).isEqualTo("sealed by the machine");

            // no TPM at all: a clear refusal naming where it looked, and the passphrase still works
            Launcher.Run gone = new Launcher(vault.home()).env("MEMORY_VAULT_TPM", "tpm:tcp:127.0.0.1:1").run("recall", id, "--justification",
                    "tpm", "--json");
            assertThat(gone.exit()).as(gone.toString()).isNotZero();
            assertThat(gone.stdout().length == 0 ? gone.stderr() : new String(gone.stdout(), StandardCharsets.UTF_8))
                    .contains("tpm:tcp:127.0.0.1:1");
        }
    }

    /**
     * Level 5 bound to the TPM (docs/HARDWARE.md, "Level 5 bound to a device"): the owner's passphrase
     * and a token code open a level-5 memory only while the TPM unseals the device secret; after a
     * PCR extend it is refused, naming the PCR; the recovery code binds a new TPM slot sealed to the
     * PCRs as they are now, and the memory opens again.
     */
    @Test
    void level5BoundToTheTpm_isRefusedAfterAPcrChange_untilTheRecoveryCodeBindsItAgain() throws Exception {
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            Launcher vault = new Launcher(tmp.resolve("vault")).env("MEMORY_VAULT_TPM", tpm.device());
            Path ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
            Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true, "boundary.local.ignore-interfaces",
                    Launcher.interfaceNames());
            Launcher.Run enrolled = vault.run("token", "enroll", "totp", "--name", "phone", "--json", "--passphrase-file", ownerPass.toString());
            assertThat(enrolled.exit()).as(enrolled.toString()).isZero();
            String query = java.net.URI.create(JSON.readTree(enrolled.stdout()).get("otpauth_uri").asText()).getQuery();
            byte[] totp = org.memoryvault.hardware.totp.Totp.base32Decode(java.util.Arrays.stream(query.split("&"))
                    .filter(p -> p.startsWith("secret=")).findFirst().orElseThrow().substring("secret=".length()));
            int[] step = {-1};
            java.util.function.Function<String, Launcher.Run> recall = id -> {
                String code = org.memoryvault.hardware.totp.Totp.hotp(totp, org.memoryvault.hardware.totp.Totp.step(java.time.Instant.now(), 30)
                        + step[0]++, org.memoryvault.hardware.totp.Totp.Algorithm.SHA1, 6);
                Path codeFile = Launcher.secretFile(tmp.resolve("code-" + System.nanoTime()), code + "\n");
                return vault.run("recall", id, "--justification", "tpm", "--passphrase-file", ownerPass.toString(),
                        "--totp-code-file", codeFile.toString(), "--json");
            };

            Launcher.Run bound = vault.run("profile", "bind-level5", "default", "--type", "tpm2", "--passphrase-file", ownerPass.toString(),
                    "--json");
            assertThat(bound.exit()).as(bound.toString()).isZero();
            Path code = Launcher.secretFile(tmp.resolve("level5.code"), JSON.readTree(bound.stdout()).get("recovery_code").asText() + "\n");
            Launcher.Run stored = vault.runWithInput("only with this machine".getBytes(StandardCharsets.UTF_8), "store", "-c", "5", "--json");
            assertThat(stored.exit()).as(stored.toString()).isZero();
            String id = JSON.readTree(stored.stdout()).get("id").asText();

            tpm.extendPcr(7);                                        // the boot chain changed
            Launcher.Run refused = recall.apply(id);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
            JsonNode error = JSON.readTree(refused.stdout()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
            assertThat(error.get("message").asText()).contains("level 5 of profile default is bound to a device").contains("PCR 7");

            Launcher.Run rebound = vault.run("profile", "bind-level5", "default", "--type", "tpm2", "--recovery-code-file", code.toString(),
                    "--passphrase-file", ownerPass.toString(), "--json");
            assertThat(rebound.exit()).as(rebound.toString()).isZero();
            Launcher.Run opened = recall.apply(id);
            assertThat(opened.exit()).as(opened.toString()).isZero();
            assertThat(new String(java.util.Base64.getDecoder().decode(JSON.readTree(opened.stdout()).get("content_base64").asText()),
                    StandardCharsets.UTF_8)).isEqualTo("only with this machine");
        }
    }

    /**
     * The TPM NV counter as the rollback anchor: once the owner seals are anchored to it, a vault.db
     * copied back from earlier, with its witness and config.toml, is refused, because the counter
     * cannot go back; another TPM cannot vouch for the counter; and `vault reseal` accepts the state.
     */
    @Test
    void aVaultCopiedBackWholeIsCaughtByTheTpmCounter() throws Exception {
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm")); Swtpm other = Swtpm.start(tmp.resolve("other-tpm"))) {
            Launcher vault = new Launcher(tmp.resolve("vault")).env("MEMORY_VAULT_TPM", tpm.device());
            Path ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
            Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true);

            Launcher.Run defined = vault.run("hardware", "counter", "define", "--json");
            assertThat(defined.exit()).as(defined.toString()).isZero();
            String setting = JSON.readTree(defined.stdout()).get("setting").asText();
            Launcher.Run anchored = vault.run("config", "set", "audit.tpm-counter", setting, "--passphrase-file", ownerPass.toString());
            assertThat(anchored.exit()).as(anchored.toString()).isZero();
            assertThat(Files.readString(vault.home().resolve("owner-seal.witness"))).contains("\ncounter tpm-nv:0x01500016 ");

            Path copy = tmp.resolve("copy");
            Files.createDirectories(copy);
            for (String f : new String[] {"vault.db", "owner-seal.witness", "config.toml"}) {
                Files.copy(vault.home().resolve(f), copy.resolve(f));
            }
            Launcher.Run later = vault.run("config", "set", "anomaly.enabled", "false", "--passphrase-file", ownerPass.toString());
            assertThat(later.exit()).as(later.toString()).isZero();
            assertThat(vault.run("list").exit()).isZero();

            for (String f : new String[] {"vault.db", "owner-seal.witness", "config.toml"}) {       // the agent's rollback, whole
                Files.copy(copy.resolve(f), vault.home().resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(vault.home().resolve("vault.db-wal"));
            Files.deleteIfExists(vault.home().resolve("vault.db-shm"));
            Launcher.Run caught = vault.run("list");
            assertThat(caught.exit()).as(caught.toString()).isEqualTo(5);
            assertThat(caught.stderr()).contains("vault.db is older than rollback counter tpm-nv:0x01500016");

            Launcher onOther = new Launcher(vault.home()).env("MEMORY_VAULT_TPM", other.device());
            assertThat(onOther.run("hardware", "counter", "define").exit()).isZero();      // the agent's own TPM, its counter at 1
            Launcher.Run faked = onOther.run("list");
            assertThat(faked.exit()).as(faked.toString()).isEqualTo(5);
            assertThat(faked.stderr()).contains("attestation key differs");

            Launcher.Run resealed = vault.run("reseal", "--passphrase-file", ownerPass.toString());
            assertThat(resealed.exit()).as(resealed.toString()).isZero();
            assertThat(vault.run("list").exit()).isZero();
        }
    }
}
