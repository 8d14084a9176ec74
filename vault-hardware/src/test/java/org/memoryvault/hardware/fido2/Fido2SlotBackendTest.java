package org.memoryvault.hardware.fido2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The hmac-secret slot beyond the kit: PIN at enrolment only, what crosses USB, and a missing key. */
class Fido2SlotBackendTest {
    private static final KdfParameters NO_KDF = new KdfParameters(1, 8L << 20);
    private final SimulatedAuthenticator key = new SimulatedAuthenticator();
    private final Fido2PresenceVerifierTest.Prompts prompts = new Fido2PresenceVerifierTest.Prompts();
    private Optional<SimulatedAuthenticator> plugged = Optional.of(key);
    private final Fido2SlotBackend backend = new Fido2SlotBackend(() -> plugged.map(d -> (HidReports) d), prompts, new SecureRandom(),
            1_000, 2_000);

    private static SlotSecret none() { return SlotSecret.of(Fido2SlotBackend.TYPE, new byte[0]); }

    private static KeySlot slot(SlotBackend.Enrolment e) {
        return new KeySlot(0, Fido2SlotBackend.TYPE, "fido2", e.kdf(), e.parameters(), new byte[24], new byte[48], java.time.Instant.EPOCH);
    }

    @Test
    void aKeyWithAPinNeedsItToEnrol_andOnlyATouchToOpen() {
        key.setPin("2468");
        assertThatThrownBy(() -> backend.enrol(none(), NO_KDF)).isInstanceOf(AccessRefusedException.class).hasMessageContaining("has a PIN");
        prompts.pin = "2468";
        SlotBackend.Enrolment e = backend.enrol(none(), NO_KDF);
        prompts.pin = "";
        try (KeyEncryptionKey enrolled = e.kek(); KeyEncryptionKey opened = backend.open(slot(e), none())) {
            assertThat(opened.revealForCrypto()).isEqualTo(enrolled.revealForCrypto());
        }
    }

    @Test
    void theSaltAndTheOutputNeverCrossUsbInTheClear() {
        SlotBackend.Enrolment e = backend.enrol(none(), NO_KDF);
        byte[] params = e.parameters();
        byte[] salt = java.util.Arrays.copyOfRange(params, params.length - 32, params.length);
        byte[] wire = new byte[key.written().size() * HidReports.REPORT_SIZE];
        for (int i = 0; i < key.written().size(); i++) System.arraycopy(key.written().get(i), 0, wire, i * HidReports.REPORT_SIZE, 64);
        assertThat(indexOf(wire, java.util.Arrays.copyOf(salt, 16))).as("the salt went encrypted").isNegative();
        e.kek().close();
    }

    @Test
    void withNoKeyPluggedInTheSlotIsRefusedAsATokenProblem() {
        SlotBackend.Enrolment e = backend.enrol(none(), NO_KDF);
        e.kek().close();
        plugged = Optional.empty();
        assertThatThrownBy(() -> backend.open(slot(e), none())).isInstanceOfSatisfying(AccessRefusedException.class, x -> {
            assertThat(x.code()).isEqualTo(ErrorCode.ACCESS_TOKEN);
            assertThat(x.getMessage()).contains("no FIDO2 security key is plugged in");
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
