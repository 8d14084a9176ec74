package org.memoryvault.hardware.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The TPM slot backend against a real software TPM (swtpm): seal, unseal after a restart, PCR change, TPM absent. */
@org.junit.jupiter.api.Tag("tpm")
class Tpm2SlotBackendTest {
    @TempDir Path tmp;

    private static final SlotSecret NOTHING = SlotSecret.of(Tpm2SlotBackend.TYPE, new byte[0]);
    private static final KdfParameters KDF = new KdfParameters(1, 8L << 20);      // unused by a TPM slot

    @Test
    void sealsAndUnseals_acrossARestartOfTheTpm_andRefusesAfterAPcrExtend() throws Exception {
        Path state = tmp.resolve("tpm-state");
        SlotBackend.Enrolment enrolled;
        byte[] kek;
        try (Swtpm tpm = Swtpm.start(state)) {
            Tpm2SlotBackend backend = new Tpm2SlotBackend(tpm.device(), new int[] {7}, new SecureRandom());
            enrolled = backend.enrol(NOTHING, KDF);
            kek = enrolled.kek().revealForCrypto().clone();
            assertThat(reveal(backend.open(slot(enrolled.parameters()), NOTHING))).isEqualTo(kek);
        }
        try (Swtpm again = Swtpm.start(state)) {                     // the same TPM after a power cycle
            Tpm2SlotBackend backend = new Tpm2SlotBackend(again.device(), new int[] {7}, new SecureRandom());
            assertThat(reveal(backend.open(slot(enrolled.parameters()), NOTHING))).isEqualTo(kek);
            again.extendPcr(7);
            assertThatThrownBy(() -> backend.open(slot(enrolled.parameters()), NOTHING))
                    .isInstanceOf(AccessRefusedException.class)
                    .hasMessageContaining("PCR 7 (SHA-256) no longer match")
                    .extracting(e -> ((AccessRefusedException) e).code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET);
        }
    }

    @Test
    void anotherTpm_cannotLoadTheSlot_andNoTpmIsAClearRefusal() throws Exception {
        SlotBackend.Enrolment enrolled;
        try (Swtpm tpm = Swtpm.start(tmp.resolve("one"))) {
            enrolled = new Tpm2SlotBackend(tpm.device(), new int[] {7}, new SecureRandom()).enrol(NOTHING, KDF);
        }
        try (Swtpm other = Swtpm.start(tmp.resolve("two"))) {
            Tpm2SlotBackend backend = new Tpm2SlotBackend(other.device(), new int[] {7}, new SecureRandom());
            assertThatThrownBy(() -> backend.open(slot(enrolled.parameters()), NOTHING))
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("sealed by another TPM");
        }
        Tpm2SlotBackend nowhere = new Tpm2SlotBackend("tpm:tcp:127.0.0.1:1", new int[] {7}, new SecureRandom());
        assertThatThrownBy(() -> nowhere.open(slot(enrolled.parameters()), NOTHING))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("no TPM answers at tpm:tcp:127.0.0.1:1");
        Tpm2SlotBackend noDevice = new Tpm2SlotBackend(tmp.resolve("no-tpm").toString(), new int[] {7}, new SecureRandom());
        assertThatThrownBy(() -> noDevice.open(slot(enrolled.parameters()), NOTHING))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("no TPM at");
    }

    private static KeySlot slot(byte[] parameters) {
        return new KeySlot(2, Tpm2SlotBackend.TYPE, "", Optional.empty(), parameters, new byte[24], new byte[48], Instant.EPOCH);
    }

    private static byte[] reveal(KeyEncryptionKey kek) {
        try (kek) {
            return kek.revealForCrypto().clone();
        }
    }
}
