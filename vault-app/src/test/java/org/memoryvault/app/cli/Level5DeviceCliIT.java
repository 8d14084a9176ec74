package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.hardware.SimulatedTokenSlotBackend;
import org.memoryvault.hardware.totp.Totp;

/**
 * Level 5 bound to a device (issue 11; docs/HARDWARE.md, "Level 5 bound to a device"), through the
 * real CLI with the simulated token of vault-hardware's tests as the device: after binding, the
 * owner's passphrase and a token code no longer open level 5 without the device; the memories
 * stored before are re-sealed; a lost device is replaced with the recovery code; the last device
 * slot stays; and the binding is under the owner's seal, so an edit of vault.db that drops it is caught.
 */
@org.junit.jupiter.api.Tag("slow")
class Level5DeviceCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;
    String backendClasspath;
    byte[] totp;
    long lastStep;

    @BeforeEach
    void init() throws Exception {
        backendClasspath = Path.of(SimulatedTokenSlotBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), Optional.of(ownerPass), true, "boundary.local.ignore-interfaces", Launcher.interfaceNames());
        JsonNode enrolled = json(ok(vault, "token", "enroll", "totp", "--name", "phone", "--json", "--passphrase-file", ownerPass.toString()));
        String query = URI.create(enrolled.get("otpauth_uri").asText()).getQuery();
        totp = Totp.base32Decode(Arrays.stream(query.split("&")).filter(p -> p.startsWith("secret=")).findFirst().orElseThrow()
                .substring("secret=".length()));
        lastStep = Long.MIN_VALUE / 2;
    }

    /** The CLI with the simulated device {@code device} plugged in. */
    Launcher with(Path device) {
        return new Launcher(vault.home()).env("VAULT_CLASSPATH", backendClasspath).env(SimulatedTokenSlotBackend.ENV_DEVICE, device.toString());
    }

    static JsonNode json(Launcher.Run r) throws Exception { return JSON.readTree(r.stdout()); }

    static Launcher.Run ok(Launcher l, String... args) {
        Launcher.Run r = l.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    String store(String content) throws Exception {
        Launcher.Run r = vault.runWithInput(content.getBytes(StandardCharsets.UTF_8), "store", "--classification", "5", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return json(r).get("id").asText();
    }

    /**
     * An owner's level-5 recall: the passphrase and a fresh TOTP code, each for a later time step than the
     * last (so none is a replay), and never more than one step ahead of the clock (the verifier accepts
     * one step either side, so the code stays good if a step boundary passes before the CLI checks it);
     * when the next step would be two ahead, this waits for the clock to move on.
     */
    Launcher.Run recall(Launcher l, String id) {
        long next;
        while (true) {
            long now = Totp.step(Instant.now(), 30);
            next = Math.max(lastStep + 1, now);
            if (next <= now + 1) break;
            try { Thread.sleep(250); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IllegalStateException(e); }
        }
        lastStep = next;
        String code = Totp.hotp(totp, next, Totp.Algorithm.SHA1, 6);
        Path codeFile = Launcher.secretFile(tmp.resolve("code-" + System.nanoTime()), code + "\n");
        return l.run("recall", id, "--justification", "test", "--passphrase-file", ownerPass.toString(),
                "--totp-code-file", codeFile.toString(), "--json");
    }

    static String content(Launcher.Run r) throws Exception {
        return new String(java.util.Base64.getDecoder().decode(json(r).get("content_base64").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void afterBinding_level5OpensOnlyWithTheDevice_andWhatWasStoredBeforeIsResealed() throws Exception {
        String before = store("stored before the binding");
        Path device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));

        // the key file (the agent's everyday secret) cannot bind: it does not prove the owner
        Launcher.Run byKeyFile = with(device).run("profile", "bind-level5", "default", "--type", "sim-token", "--json");
        assertThat(byKeyFile.exit()).as(byKeyFile.toString()).isEqualTo(2);
        assertThat(json(byKeyFile).at("/error/code").asText()).isEqualTo("INPUT_SECRET_MISSING");

        JsonNode bound = json(ok(with(device), "profile", "bind-level5", "default", "--type", "sim-token", "--json",
                "--passphrase-file", ownerPass.toString()));
        assertThat(bound.get("resealed").asLong()).isEqualTo(1);
        assertThat(bound.at("/slot/type").asText()).isEqualTo("sim-token");
        assertThat(bound.at("/recovery_slot/type").asText()).isEqualTo("recovery-code");
        assertThat(bound.get("recovery_code").asText()).matches("[a-z2-7]{4}(-[a-z2-7]{4}){7}");
        String after = store("stored after the binding");

        // the owner's passphrase and a good code, without the device: refused, and said why
        Launcher.Run noDevice = recall(vault, before);
        assertThat(noDevice.exit()).as(noDevice.toString()).isEqualTo(4);
        assertThat(json(noDevice).at("/error/code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
        assertThat(json(noDevice).at("/error/message").asText()).contains("level 5 of profile default is bound to a device");
        Launcher.Run recalled = recall(with(device), before);
        assertThat(recalled.exit()).as(recalled.toString()).isZero();
        assertThat(content(recalled)).isEqualTo("stored before the binding");
        Launcher.Run recalledAfter = recall(with(device), after);
        assertThat(recalledAfter.exit()).as(recalledAfter.toString()).isZero();
        assertThat(content(recalledAfter)).isEqualTo("stored after the binding");

        // verify --deep with the owner's passphrase does not ask devices: bound level-5 memories are unreachable, not damaged
        JsonNode verified = json(ok(vault, "verify", "--deep", "--passphrase-file", ownerPass.toString(), "--json"));
        assertThat(verified.toString()).contains("\"skipped_above_key\":2");

        // a new recovery code, with the device at hand (the first one lost, or never seen)
        JsonNode fresh = json(ok(with(device), "profile", "bind-level5", "default", "--type", "recovery-code", "--json",
                "--passphrase-file", ownerPass.toString()));
        assertThat(fresh.get("recovery_code").asText()).matches("[a-z2-7]{4}(-[a-z2-7]{4}){7}").isNotEqualTo(bound.get("recovery_code").asText());
        assertThat(fresh.at("/slot/type").asText()).isEqualTo("recovery-code");

        JsonNode listed = json(ok(vault, "profile", "level5-slots", "default", "--json"));
        assertThat(listed.get("bound").asBoolean()).isTrue();
        assertThat(listed.get("slots")).extracting(s -> s.get("type").asText()).containsExactly("sim-token", "recovery-code", "recovery-code");
        Launcher.Run audit = ok(vault, "audit", "log", "--type", "profile.level5.bind", "--json");
        assertThat(audit.out()).contains("sim-token");
    }

    @Test
    void aLostDevice_isReplacedWithTheRecoveryCode_andTheLastDeviceSlotStays() throws Exception {
        Path lost = SimulatedTokenSlotBackend.newDevice(tmp.resolve("lost"));
        JsonNode bound = json(ok(with(lost), "profile", "bind-level5", "default", "--type", "sim-token", "--json",
                "--passphrase-file", ownerPass.toString()));
        String code = bound.get("recovery_code").asText();
        String id = store("kept across devices");
        java.nio.file.Files.delete(lost);

        Path replacement = SimulatedTokenSlotBackend.newDevice(tmp.resolve("replacement"));
        // another device of the same kind, not bound: refused
        Launcher.Run otherDevice = recall(with(replacement), id);
        assertThat(otherDevice.exit()).as(otherDevice.toString()).isEqualTo(4);
        assertThat(json(otherDevice).at("/error/message").asText()).contains("--recovery-code-file");
        Path wrongCode = Launcher.secretFile(tmp.resolve("wrong.code"), "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg-hhhh\n");
        Launcher.Run wrong = with(replacement).run("profile", "bind-level5", "default", "--type", "sim-token",
                "--recovery-code-file", wrongCode.toString(), "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(4);
        assertThat(json(wrong).at("/error/code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
        // a third device without the code, with no bound device at hand: refused
        Launcher.Run noCode = with(replacement).run("profile", "bind-level5", "default", "--type", "sim-token",
                "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(noCode.exit()).as(noCode.toString()).isEqualTo(4);

        // the code as a person types it: capitals and spaces
        Path codeFile = Launcher.secretFile(tmp.resolve("level5.code"), code.toUpperCase(java.util.Locale.ROOT).replace('-', ' ') + "\n");
        JsonNode added = json(ok(with(replacement), "profile", "bind-level5", "default", "--type", "sim-token",
                "--recovery-code-file", codeFile.toString(), "--passphrase-file", ownerPass.toString(), "--json"));
        assertThat(added.has("recovery_code")).isFalse();
        assertThat(added.get("resealed").asLong()).isZero();
        int replacementSlot = added.at("/slot/slot").asInt();

        Launcher.Run recalled = recall(with(replacement), id);
        assertThat(recalled.exit()).as(recalled.toString()).isZero();
        assertThat(content(recalled)).isEqualTo("kept across devices");

        ok(vault, "profile", "remove-level5-slot", "default", "0", "--passphrase-file", ownerPass.toString());
        ok(vault, "profile", "remove-level5-slot", "default", "1", "--passphrase-file", ownerPass.toString());
        Launcher.Run last = vault.run("profile", "remove-level5-slot", "default", String.valueOf(replacementSlot),
                "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(last.exit()).as(last.toString()).isEqualTo(2);
        assertThat(json(last).at("/error/message").asText()).contains("last one");

        // a new recovery code whose output is lost (stdout a full disk): the command says so, and how to make another
        Launcher.Run lostOutput = with(replacement).runShell("profile bind-level5 default --type recovery-code --passphrase-file '"
                + ownerPass + "' > /dev/full");
        assertThat(lostOutput.exit()).as(lostOutput.toString()).isNotZero();
        assertThat(lostOutput.stderr()).contains("could not be written").contains("--type recovery-code");
    }

    @Test
    void droppingTheBindingInVaultDb_isCaughtByTheOwnersSeal() throws Exception {
        Path device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));
        ok(with(device), "profile", "bind-level5", "default", "--type", "sim-token", "--passphrase-file", ownerPass.toString());
        // the agent, holding the key file, edits vault.db so that level 5 is sealed to the owner key alone again
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM level5_bindings");
        }
        Launcher.Run r = vault.runWithInput("a new black secret".getBytes(StandardCharsets.UTF_8), "store", "--classification", "5", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("INTEGRITY_TAMPERED");
        assertThat(json(r).at("/error/message").asText()).contains("level-5 device binding");
    }

    /** Found in review: public keys removed from vault.db, then `profile upgrade` derived them again from the owner key alone. */
    @Test
    void publicKeysRemovedFromVaultDb_areNotDerivedAgainWithoutTheDevice() throws Exception {
        Path device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));
        ok(with(device), "profile", "bind-level5", "default", "--type", "sim-token", "--passphrase-file", ownerPass.toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE profiles SET tier_public_keys = NULL");
        }
        ok(vault, "reseal", "--passphrase-file", ownerPass.toString());          // the owner accepts the state as it is
        Launcher.Run upgrade = vault.run("profile", "upgrade", "default", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(upgrade.exit()).as(upgrade.toString()).isEqualTo(5);
        assertThat(json(upgrade).at("/error/message").asText()).contains("bound to a device").contains("restore vault.db from a backup");
    }

    /** docs/recovery/recover.py (libsodium alone) opens a bound level 5 with the owner's passphrase and the level-5 recovery code. */
    @Test
    void theRecoveryScript_opensABoundLevel5WithTheRecoveryCode_andOnlyWithIt() throws Exception {
        String python = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        boolean nacl = new ProcessBuilder(python, "-c", "import nacl.pwhash, nacl.bindings").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_PYNACL"))) assertThat(nacl).as(python + " with PyNaCl").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(nacl, "python3 with PyNaCl is not installed (apt-get install python3-nacl)");

        String before = store("black, before the binding");
        Path device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));
        JsonNode bound = json(ok(with(device), "profile", "bind-level5", "default", "--type", "sim-token", "--json",
                "--passphrase-file", ownerPass.toString()));
        String after = store("black, after the binding");
        Path code = Launcher.secretFile(tmp.resolve("level5.code"), bound.get("recovery_code").asText() + "\n");
        Path wrong = Launcher.secretFile(tmp.resolve("wrong.code"), "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg-hhhh\n");

        java.util.function.BiFunction<String, Path[], Object[]> run = (out, extra) -> {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(python,
                    Launcher.REPO.resolve("docs/recovery/recover.py").toString(), "--vault", vault.home().toString(),
                    "--passphrase-file", ownerPass.toString(), "--out", tmp.resolve(out).toString()));
            for (Path f : extra) {
                cmd.add("--level5-recovery-code-file");
                cmd.add(f.toString());
            }
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Object[] {p.waitFor(), shown};
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Object[] withCode = run.apply("with-code", new Path[] {code});
        assertThat(withCode[0]).as((String) withCode[1]).isEqualTo(0);
        assertThat(java.nio.file.Files.readString(tmp.resolve("with-code").resolve(before))).isEqualTo("black, before the binding");
        assertThat(java.nio.file.Files.readString(tmp.resolve("with-code").resolve(after))).isEqualTo("black, after the binding");
        assertThat((String) withCode[1]).doesNotContain("warning");

        Object[] without = run.apply("without", new Path[0]);
        assertThat(without[0]).as((String) without[1]).isEqualTo(0);
        assertThat(tmp.resolve("without").resolve(after)).doesNotExist();
        assertThat(java.nio.file.Files.readString(tmp.resolve("without").resolve("manifest.json")))
                .contains("level 5 is bound to a device: give its recovery code with --level5-recovery-code-file");

        Object[] wrongCode = run.apply("wrong", new Path[] {wrong});
        assertThat(wrongCode[0]).as((String) wrongCode[1]).isEqualTo(4);
    }

    /**
     * A long-running process (the embedded API, as `vault mcp` uses it) that read the profile's public
     * keys before another process bound level 5: its next level-5 store is sealed to the bound key,
     * not to the one it had read (which would open with the owner key alone).
     */
    @Test
    void aProcessThatReadThePublicKeysBeforeTheBinding_sealsItsNextStoreToTheBoundKey() throws Exception {
        Path device = SimulatedTokenSlotBackend.newDevice(tmp.resolve("token"));
        try (org.memoryvault.app.api.MemoryVault embedded = org.memoryvault.app.api.MemoryVault.open(vault.home(),
                org.memoryvault.app.api.MemoryVault.Options.owner().keyFile(vault.home().resolve("keys/default.key")))) {
            String early = embedded.store("stored by the long-running process first".getBytes(StandardCharsets.UTF_8), 5, null);
            ok(with(device), "profile", "bind-level5", "default", "--type", "sim-token", "--passphrase-file", ownerPass.toString());
            String late = embedded.store("stored by it after the binding".getBytes(StandardCharsets.UTF_8), 5, null);

            Launcher.Run first = recall(with(device), early);
            assertThat(first.exit()).as(first.toString()).isZero();
            Launcher.Run second = recall(with(device), late);
            assertThat(second.exit()).as(second.toString()).isZero();
            assertThat(content(second)).isEqualTo("stored by it after the binding");
        }
    }
}
