package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.hardware.SimulatedTokenSlotBackend;

/**
 * A slot backend written in vault-hardware alone (the simulated token of docs/HARDWARE.md, a
 * test-only backend) plugged into the real CLI from {@code $VAULT_CLASSPATH}: enrolled with
 * {@code vault profile add-slot}, it unlocks the profile in later processes; without it installed the
 * slot is named in a clear error while the profile's other slots still open; another device is refused.
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class SlotBackendCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;
    Path device;
    String backendClasspath;

    @BeforeEach
    void init() throws Exception {
        backendClasspath = Path.of(SimulatedTokenSlotBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true,
                "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    Launcher withToken(Path token) {
        return new Launcher(vault.home()).env("VAULT_CLASSPATH", backendClasspath).env(SimulatedTokenSlotBackend.ENV_DEVICE, token.toString());
    }

    static JsonNode json(Launcher.Run r) throws Exception { return JSON.readTree(r.stdout()); }

    @Test
    void aBackendFromTheClasspath_isEnrolledWithAddSlot_andUnlocksTheProfileInALaterProcess() throws Exception {
        Launcher token = withToken(device);
        Launcher.Run added = token.run("profile", "add-slot", "default", "--type", "sim-token", "--passphrase-file",
                ownerPass.toString(), "--json");
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(json(added).get("type").asText()).isEqualTo("sim-token");
        int slot = json(added).get("slot").asInt();

        Launcher.Run stored = vault.runWithInput("kept behind the token".getBytes(StandardCharsets.UTF_8),
                "store", "--classification", "2", "--json");
        assertThat(stored.exit()).as(stored.toString()).isZero();
        String id = json(stored).get("id").asText();

        // From now on the key file is gone: only the passphrase and the token open the profile.
        Files.move(vault.home().resolve("keys/default.key"), tmp.resolve("default.key.offline"));

        Launcher.Run recalled = token.run("recall", id, "--justification", "test", "--json");
        assertThat(recalled.exit()).as(recalled.toString()).isZero();
        assertThat(new String(java.util.Base64.getDecoder().decode(json(recalled).get("content_base64").asText()), StandardCharsets.UTF_8))
                .isEqualTo("kept behind the token");

        // Another token: the slot does not open, and nothing else does either.
        Path other = SimulatedTokenSlotBackend.newDevice(tmp.resolve("other-token"));
        Launcher.Run wrongDevice = withToken(other).run("recall", id, "--justification", "test", "--json");
        assertThat(wrongDevice.exit()).as(wrongDevice.toString()).isEqualTo(4);
        assertThat(json(wrongDevice).at("/error/code").asText()).isEqualTo("ACCESS_WRONG_SECRET");

        // The backend not installed: a clear error naming the slot type; the passphrase slot still opens.
        Launcher.Run noBackend = vault.run("recall", id, "--justification", "test", "--json");
        assertThat(noBackend.exit()).as(noBackend.toString()).isEqualTo(2);
        assertThat(json(noBackend).at("/error/code").asText()).isEqualTo("INPUT_SLOT_BACKEND");
        assertThat(json(noBackend).at("/error/message").asText()).contains("'sim-token' (slot " + slot + ")");
        Launcher.Run byPassphrase = vault.run("recall", id, "--justification", "test", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(byPassphrase.exit()).as(byPassphrase.toString()).isZero();
        Launcher.Run listed = vault.run("profile", "list", "--json");
        assertThat(listed.exit()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("sim-token");

        // A token slot is not an owner slot: it cannot change the profile's slots.
        Launcher.Run tokenAsOwner = token.run("profile", "add-slot", "default", "--type", "sim-token", "--json");
        assertThat(tokenAsOwner.exit()).as(tokenAsOwner.toString()).isNotZero();
        assertThat(json(tokenAsOwner).at("/error/code").asText()).isEqualTo("INPUT_SECRET_MISSING");
    }

    @Test
    void anUnknownSlotType_isRefusedAtAddSlot_withTheInstalledTypes() throws Exception {
        Launcher.Run r = vault.run("profile", "add-slot", "default", "--type", "cloud-kms", "--passphrase-file",
                ownerPass.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("INPUT_SLOT_BACKEND");
        assertThat(json(r).at("/error/message").asText()).contains("'cloud-kms'").contains("keyfile").contains("passphrase").contains("tpm2")
                .contains("tpm2-pin").contains("yubikey").contains("fido2");
        Launcher.Run bad = vault.run("profile", "add-slot", "default", "--type", "Bad Type!", "--json");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(json(bad).at("/error/code").asText()).isEqualTo("INPUT_INVALID");
    }
}
