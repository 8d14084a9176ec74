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

/** The hmac-secret slot beyond the kit: the PIN at every use, what the key gives without it, what crosses USB, a missing key. */
class Fido2SlotBackendTest {
    private static final KdfParameters NO_KDF = new KdfParameters(1, 8L << 20);
    private final SimulatedAuthenticator key = new SimulatedAuthenticator().setPin("2468");
    private final Fido2PresenceVerifierTest.Prompts prompts = new Fido2PresenceVerifierTest.Prompts();
    private Optional<SimulatedAuthenticator> plugged = Optional.of(key);
    private final Fido2SlotBackend backend = new Fido2SlotBackend(() -> plugged.map(d -> (HidReports) d), prompts, new SecureRandom(),
            1_000, 2_000);

    private static SlotSecret none() { return SlotSecret.of(Fido2SlotBackend.TYPE, new byte[0]); }

    private static KeySlot slot(SlotBackend.Enrolment e) {
        return new KeySlot(0, Fido2SlotBackend.TYPE, "fido2", e.kdf(), e.parameters(), new byte[24], new byte[48], java.time.Instant.EPOCH);
    }

    @Test
    void theSlotNeedsTheKeysPinToEnrolAndToOpen_andAKeyWithoutAPinIsRefused() {
        assertThatThrownBy(() -> backend.enrol(none(), NO_KDF)).isInstanceOf(AccessRefusedException.class).hasMessageContaining("PIN");
        prompts.pin = "2468";
        SlotBackend.Enrolment e = backend.enrol(none(), NO_KDF);
        try (KeyEncryptionKey enrolled = e.kek(); KeyEncryptionKey opened = backend.open(slot(e), none())) {
            assertThat(opened.revealForCrypto()).isEqualTo(enrolled.revealForCrypto());
        }
        prompts.pin = "";
        assertThatThrownBy(() -> backend.open(slot(e), none())).isInstanceOf(AccessRefusedException.class).hasMessageContaining("PIN");
        prompts.pin = "1111";
        assertThatThrownBy(() -> backend.open(slot(e), none())).isInstanceOf(AccessRefusedException.class).hasMessageContaining("PIN is wrong");

        SimulatedAuthenticator noPin = new SimulatedAuthenticator();
        plugged = Optional.of(noPin);
        assertThatThrownBy(() -> backend.enrol(none(), NO_KDF)).isInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("needs a security key with a PIN");
    }

    /** The agent's way round the touch (the reviewer's finding): its own assertion, up = false, no PIN, gets the without-UV answer. */
    @Test
    void anAssertionWithoutThePinGetsAnotherAnswer_whichOpensNothing() {
        prompts.pin = "2468";
        SlotBackend.Enrolment e = backend.enrol(none(), NO_KDF);
        Fido2SlotBackend.Params p = Fido2SlotBackend.decode(e.parameters());
        key.touch(false);                                        // nobody touches the key
        byte[] output;
        try (CtapHid hid = CtapHid.open(key, new SecureRandom(), 1_000, 1_000)) {
            Ctap2 ctap = new Ctap2(hid, () -> false);
            try (PinProtocolOne agreement = ctap.agree(new SecureRandom())) {
                java.util.Map<Object, Object> hmac = new java.util.LinkedHashMap<>();
                byte[] saltEnc = agreement.encrypt(p.salt);
                hmac.put(1L, agreement.platformKey());
                hmac.put(2L, saltEnc);
                hmac.put(3L, agreement.authenticate(saltEnc));
                java.util.Map<Object, Object> params = new java.util.LinkedHashMap<>();
                params.put(1L, p.rpId);
                params.put(2L, new byte[32]);
                params.put(3L, java.util.List.of(java.util.Map.of("id", p.credentialId, "type", "public-key")));
                params.put(4L, java.util.Map.of("hmac-secret", hmac));
                params.put(5L, java.util.Map.of("up", false));
                byte[] body = Cbor.encode(params);
                byte[] request = new byte[1 + body.length];
                request[0] = Ctap2.GET_ASSERTION;
                System.arraycopy(body, 0, request, 1, body.length);
                byte[] reply = hid.cbor(request, () -> false);
                assertThat(reply[0]).as("the key answers without a touch").isZero();
                java.util.Map<?, ?> m = (java.util.Map<?, ?>) Cbor.decode(java.util.Arrays.copyOfRange(reply, 1, reply.length));
                output = Ctap2.hmacSecretOutput((byte[]) m.get(2L), agreement).orElseThrow();
            } catch (Cbor.MalformedException x) {
                throw new AssertionError(x);
            }
        }
        try (KeyEncryptionKey kek = e.kek()) {
            byte[] agentsKek = hmacKek(output);
            assertThat(agentsKek).as("the without-UV answer is not the slot's").isNotEqualTo(kek.revealForCrypto());
        }
    }

    @Test
    void aKeyWithOneHmacSecretForBothIsRefused_sinceItWouldOpenTheSlotUntouched() {
        prompts.pin = "2468";
        key.oneHmacSecret(true);
        assertThatThrownBy(() -> backend.enrol(none(), NO_KDF)).isInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("same hmac-secret answer without its PIN");
    }

    private static byte[] hmacKek(byte[] output) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(output, "HmacSHA256"));
            return mac.doFinal("memory-vault/fido2-kek".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException x) {
            throw new AssertionError(x);
        }
    }

    @Test
    void theSaltAndTheOutputNeverCrossUsbInTheClear() {
        prompts.pin = "2468";
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
        prompts.pin = "2468";
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
