package org.memoryvault.hardware.fido2;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;

/**
 * A key slot opened by a FIDO2 security key's hmac-secret extension with user verification
 * (docs/HARDWARE.md §8; CTAP 2.1 §12.5): enrolment creates a credential with hmac-secret on the
 * plugged-in key and stores its id with a random 32-byte salt; opening asks the key, with its PIN,
 * for an assertion with that salt (a touch), and the key answers HMAC-SHA-256(CredRandomWithUV,
 * salt), where CredRandomWithUV never leaves the key and is used only when the key verified its PIN.
 * The KEK is HMAC-SHA-256(key = that output, "memory-vault/fido2-kek"). Salt and output cross USB
 * encrypted under an ECDH agreement with the key (PIN/UV auth protocol one).
 *
 * <p>So the KEK needs the key and its PIN, by the device: a process that asks the key without the
 * PIN (even with {@code up = false}, which needs no touch) gets the key's other, without-UV answer,
 * which opens nothing. A key without a PIN is refused at enrolment.
 */
public final class Fido2SlotBackend implements SlotBackend {
    public static final SlotType TYPE = SlotType.of("fido2");
    private static final byte FORMAT = 1;
    private static final byte[] KEK_LABEL = "memory-vault/fido2-kek".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_HANDLE = "vault-slot".getBytes(StandardCharsets.US_ASCII);

    private final Fido2Devices devices;
    private final org.memoryvault.domain.port.SecretProvider secrets;
    private final SecureRandom random;
    private final int replyMillis;
    private final long touchMillis;

    @jakarta.inject.Inject
    public Fido2SlotBackend(Fido2Devices devices, org.memoryvault.domain.port.SecretProvider secrets, SecureRandom random) {
        this(devices, secrets, random, Fido2PresenceVerifier.REPLY_MILLIS, Fido2PresenceVerifier.TOUCH_MILLIS);
    }

    public Fido2SlotBackend(Fido2Devices devices, org.memoryvault.domain.port.SecretProvider secrets, SecureRandom random, int replyMillis,
                            long touchMillis) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.random = Objects.requireNonNull(random, "random");
        this.replyMillis = replyMillis;
        this.touchMillis = touchMillis;
    }

    @Override public SlotType type() { return TYPE; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        String rpId = WebAuthnCeremonies.DEFAULT_RP_ID;
        try (CtapHid hid = open()) {
            Ctap2 ctap = new Ctap2(hid, () -> false);
            Ctap2.Info info = ctap.getInfo();
            if (!info.extensions.contains(Ctap2.HMAC_SECRET)) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "this security key has no hmac-secret extension, so it cannot"
                        + " hold a key slot (enrol it as a presence token instead: `vault token enroll fido2`)");
            }
            if (!Ctap2.pinSet(info)) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "a fido2 slot needs a security key with a PIN (without one, any"
                        + " process of yours could have the key answer, untouched); set one first (e.g. `ykman fido access change-pin`"
                        + " or `fido2-token -S`)");
            }
            byte[] pinToken = pinToken(ctap, "PIN of the security key for the new slot");
            try {
                secrets.beforeSlowStep("touch your security key twice: to make the slot's credential, then to open it");
                Ctap2.Attestation made = ctap.makeCredential(randomBytes(32), rpId, "Memory Vault", USER_HANDLE, "vault-slot", true, pinToken);
                byte[] credentialId = Ctap2.credentialIdOf(made.authData);
                byte[] salt = randomBytes(32);
                KeyEncryptionKey kek = kek(ctap, rpId, credentialId, salt, pinToken);
                refuseOneSecret(ctap, rpId, credentialId, salt, kek);
                return new Enrolment(kek, encode(rpId, credentialId, salt), Optional.empty());
            } finally {
                Arrays.fill(pinToken, (byte) 0);
            }
        }
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        Params p = decode(slot.salt());
        try (CtapHid hid = open()) {
            Ctap2 ctap = new Ctap2(hid, () -> false);
            byte[] pinToken = pinToken(ctap, "PIN of the security key (fido2 slot " + slot.slotId() + ")");
            try {
                secrets.beforeSlowStep("touch your security key (fido2 slot " + slot.slotId() + ")");
                return kek(ctap, p.rpId, p.credentialId, p.salt, pinToken);
            } finally {
                Arrays.fill(pinToken, (byte) 0);
            }
        }
    }

    /**
     * Asks the key, as any process could, for the same salt without the PIN and without a touch
     * (up = false): a CTAP 2.0 key has one hmac-secret for both, and would give the slot's KEK so.
     * Such a key is refused.
     */
    private void refuseOneSecret(Ctap2 ctap, String rpId, byte[] credentialId, byte[] salt, KeyEncryptionKey kek) {
        byte[] output = null;
        try (PinProtocolOne agreement = ctap.agree(random)) {
            Ctap2.Assertion a = ctap.getAssertion(rpId, randomBytes(32), List.of(credentialId), new Ctap2.HmacSecret(agreement, salt), null,
                    false);
            output = Ctap2.hmacSecretOutput(a.authData, agreement).orElse(null);
        } catch (AccessRefusedException refused) {
            return;                                          // the key will not answer without a touch or the PIN: good
        }
        if (output == null) return;
        byte[] unverified = kekOf(output);
        try {
            if (java.security.MessageDigest.isEqual(unverified, kek.revealForCrypto())) {
                kek.close();
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "this security key gives the same hmac-secret answer without"
                        + " its PIN and without a touch (a CTAP 2.0 key), so any process of yours could open the slot; use a CTAP 2.1"
                        + " key, or enrol this one as a presence token");
            }
        } finally {
            Arrays.fill(unverified, (byte) 0);
        }
    }

    /** A pinUvAuthToken from the key for its PIN, asked from the terminal or {@code $MEMORY_VAULT_PIN_FILE}. */
    private byte[] pinToken(Ctap2 ctap, String purpose) {
        char[] pin = secrets.devicePin(purpose).orElseThrow(() -> new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "a fido2 slot"
                + " opens with the security key's PIN: type it when asked (on a terminal), or name a 0600 file holding it in"
                + " $MEMORY_VAULT_PIN_FILE"));
        try {
            return ctap.pinToken(pin, random);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private KeyEncryptionKey kek(Ctap2 ctap, String rpId, byte[] credentialId, byte[] salt, byte[] pinToken) {
        byte[] output;
        try (PinProtocolOne agreement = ctap.agree(random)) {
            Ctap2.Assertion a = ctap.getAssertion(rpId, randomBytes(32), List.of(credentialId), new Ctap2.HmacSecret(agreement, salt), pinToken);
            if (a.authData.length < 33 || (a.authData[32] & 0x04) == 0) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the security key answered without verifying its PIN");
            }
            output = Ctap2.hmacSecretOutput(a.authData, agreement).orElseThrow(() -> new AccessRefusedException(ErrorCode.ACCESS_TOKEN,
                    "the security key answered without an hmac-secret output (its credential was made without one)"));
        }
        try {
            if (output.length != 32) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the security key's hmac-secret output is " + output.length + " bytes, not 32");
            }
            return KeyEncryptionKey.adopt(kekOf(output));
        } finally {
            Arrays.fill(output, (byte) 0);
        }
    }

    /** HMAC-SHA-256(key = the hmac-secret answer, "memory-vault/fido2-kek"); wipes the answer. */
    private static byte[] kekOf(byte[] output) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(output, "HmacSHA256"));
            return mac.doFinal(KEK_LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        } finally {
            Arrays.fill(output, (byte) 0);
        }
    }

    private CtapHid open() {
        HidReports device = devices.first().orElseThrow(() -> new AccessRefusedException(ErrorCode.ACCESS_TOKEN,
                "no FIDO2 security key is plugged in"));
        try {
            return CtapHid.open(device, random, replyMillis, touchMillis);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static final class Params {
        final String rpId;
        final byte[] credentialId;
        final byte[] salt;

        Params(String rpId, byte[] credentialId, byte[] salt) {
            this.rpId = rpId;
            this.credentialId = credentialId;
            this.salt = salt;
        }
    }

    /** The slot parameters: 0x01, u8 length + RP id (ASCII), u16 length + credential id, 32-byte salt. */
    static byte[] encode(String rpId, byte[] credentialId, byte[] salt) {
        byte[] rp = rpId.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        out.write(rp.length);
        out.writeBytes(rp);
        out.write(credentialId.length >>> 8);
        out.write(credentialId.length & 0xff);
        out.writeBytes(credentialId);
        out.writeBytes(salt);
        return out.toByteArray();
    }

    static Params decode(byte[] params) {
        try {
            ByteBuffer b = ByteBuffer.wrap(params);
            if (b.get() != FORMAT) throw new IllegalArgumentException("format");
            byte[] rp = new byte[b.get() & 0xff];
            b.get(rp);
            String rpId = new String(rp, StandardCharsets.US_ASCII);
            if (!rpId.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) throw new IllegalArgumentException("rp id");
            byte[] id = new byte[b.getShort() & 0xffff];
            if (id.length == 0 || id.length > Ctap2.MAX_CREDENTIAL_ID) throw new IllegalArgumentException("credential id");
            b.get(id);
            byte[] salt = new byte[32];
            b.get(salt);
            if (b.hasRemaining()) throw new IllegalArgumentException("trailing bytes");
            return new Params(rpId, id, salt);
        } catch (IllegalArgumentException | BufferUnderflowException e) {
            // refused like a wrong device, so the profile's other slots are still tried (the owner's seal flags the edit)
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the fido2 slot's parameters are malformed");
        }
    }
}
