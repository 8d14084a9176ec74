package org.memoryvault.hardware.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;

/** The TPM slot with a PIN against a real software TPM (swtpm): the right PIN opens it, a wrong or missing one does not, nor a PCR change. */
@org.junit.jupiter.api.Tag("tpm")
class Tpm2PinSlotBackendTest {
    private static final SlotSecret NOTHING = SlotSecret.of(Tpm2PinSlotBackend.TYPE, new byte[0]);
    private static final KdfParameters KDF = new KdfParameters(1, 8L << 20);
    @TempDir Path tmp;

    /** Hands out the PIN a test sets (empty: none at hand). */
    static final class Pins implements SecretProvider {
        String pin = "";

        @Override public Optional<SlotSecret> secretFor(Profile profile, KeySlot slot, SlotBackend.SecretInput input) { return Optional.empty(); }

        @Override public Optional<char[]> devicePin(String purpose) { return pin.isEmpty() ? Optional.empty() : Optional.of(pin.toCharArray()); }
    }

    @BeforeAll static void swtpm() { Swtpm.assumeInstalled(); }

    /** Sets the TPM's lockout password, as the owner does before adding a tpm2-pin slot (`tpm2_changeauth -c lockout`). */
    static void setLockoutPassword(Swtpm tpm, byte[] password) {
        String port = tpm.device().substring(tpm.device().lastIndexOf(':') + 1);
        SwtpmTcpDevice device = new SwtpmTcpDevice("127.0.0.1", Integer.parseInt(port));
        assertThat(device.connect()).isTrue();
        tss.Tpm t = new tss.Tpm();
        t._setDevice(device);
        t.HierarchyChangeAuth(tss.tpm.TPM_HANDLE.from(tss.tpm.TPM_RH.LOCKOUT), password);
        try {
            t.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What an agent would do between guesses: reset the lockout with the (empty) lockout password. True if the TPM let it. */
    static boolean agentResetsTheLockout(Swtpm tpm) {
        String port = tpm.device().substring(tpm.device().lastIndexOf(':') + 1);
        SwtpmTcpDevice device = new SwtpmTcpDevice("127.0.0.1", Integer.parseInt(port));
        assertThat(device.connect()).isTrue();
        tss.Tpm t = new tss.Tpm();
        t._setDevice(device);
        try {
            t._allowErrors().DictionaryAttackLockReset(tss.tpm.TPM_HANDLE.from(tss.tpm.TPM_RH.LOCKOUT));
            return t._getLastResponseCode() == tss.tpm.TPM_RC.SUCCESS;
        } finally {
            try {
                t.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void withoutALockoutPasswordTheSlotIsRefused_becauseAnyProcessCouldResetTheLockout() {
        Pins pins = new Pins();
        pins.pin = "471100";
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            Tpm2PinSlotBackend backend = new Tpm2PinSlotBackend(tpm.device(), new int[] {7}, new SecureRandom(), pins);
            assertThat(agentResetsTheLockout(tpm)).as("the default: anyone may reset it").isTrue();
            assertThatThrownBy(() -> backend.enrol(NOTHING, KDF)).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("no lockout password");
            setLockoutPassword(tpm, "the owner's lockout password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(agentResetsTheLockout(tpm)).as("now only the lockout password's holder may").isFalse();
            pins.pin = "4711";
            assertThatThrownBy(() -> backend.enrol(NOTHING, KDF)).hasMessageContaining("at least 6");
            pins.pin = "471100";
            reveal(backend.enrol(NOTHING, KDF).kek());
        }
    }

    @Test
    void theRightPinOpens_aWrongOrMissingOneIsAWrongSecret_andAPcrChangeStillRefuses() {
        Pins pins = new Pins();
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            setLockoutPassword(tpm, "the owner's lockout password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Tpm2PinSlotBackend backend = new Tpm2PinSlotBackend(tpm.device(), new int[] {7}, new SecureRandom(), pins);
            assertThatThrownBy(() -> backend.enrol(NOTHING, KDF)).isInstanceOf(AccessRefusedException.class).hasMessageContaining("PIN");
            pins.pin = "471100";
            SlotBackend.Enrolment e = backend.enrol(NOTHING, KDF);
            byte[] kek = reveal(e.kek());
            assertThat(reveal(backend.open(slot(e.parameters()), NOTHING))).isEqualTo(kek);

            pins.pin = "471200";
            assertThatThrownBy(() -> backend.open(slot(e.parameters()), NOTHING)).isInstanceOfSatisfying(AccessRefusedException.class, x -> {
                assertThat(x.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET);
                assertThat(x.getMessage()).contains("wrong PIN");
            });
            pins.pin = "";
            assertThatThrownBy(() -> backend.open(slot(e.parameters()), NOTHING)).isInstanceOfSatisfying(AccessRefusedException.class,
                    x -> assertThat(x.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));

            // the plain tpm2 backend, which sends no PIN, cannot open it either
            Tpm2SlotBackend noPin = new Tpm2SlotBackend(tpm.device(), new int[] {7}, new SecureRandom());
            assertThatThrownBy(() -> noPin.open(slot(e.parameters()), NOTHING)).isInstanceOf(AccessRefusedException.class);

            pins.pin = "471100";
            assertThat(reveal(backend.open(slot(e.parameters()), NOTHING))).as("the right PIN after wrong ones").isEqualTo(kek);
            tpm.extendPcr(7);
            assertThatThrownBy(() -> backend.open(slot(e.parameters()), NOTHING)).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("PCR 7");
        }
    }

    private static KeySlot slot(byte[] parameters) {
        return new KeySlot(3, Tpm2PinSlotBackend.TYPE, "", Optional.empty(), parameters, new byte[24], new byte[48], Instant.EPOCH);
    }

    private static byte[] reveal(KeyEncryptionKey kek) {
        try (kek) {
            return kek.revealForCrypto().clone();
        }
    }
}
