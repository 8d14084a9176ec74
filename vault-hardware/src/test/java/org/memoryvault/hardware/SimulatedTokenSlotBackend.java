package org.memoryvault.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;

/**
 * TEST ONLY: a slot backend for a simulated challenge-response token (in the style of a YubiKey's
 * HMAC slot), the worked example of docs/HARDWARE.md. The "device" is a file of 32 secret bytes;
 * enrolment stores a random 32-byte challenge as the slot's parameters, and the KEK is
 * HMAC-SHA256(device secret, challenge). Another device gives another KEK, so the key-slot cipher
 * refuses it as {@code ACCESS_WRONG_SECRET}. Nothing is typed: the device is the secret.
 *
 * <p>Found by {@link java.util.ServiceLoader} (META-INF/services in this module's test-jar); the
 * no-argument constructor takes the device from {@code $MEMORY_VAULT_SIM_TOKEN}.
 */
public final class SimulatedTokenSlotBackend implements SlotBackend {
    public static final SlotType TYPE = SlotType.of("sim-token");
    public static final String ENV_DEVICE = "MEMORY_VAULT_SIM_TOKEN";
    private static final int CHALLENGE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<Path> device;

    /** The device named by {@code $MEMORY_VAULT_SIM_TOKEN}, if set. */
    public SimulatedTokenSlotBackend() {
        this(Optional.ofNullable(System.getenv(ENV_DEVICE)).filter(s -> !s.isEmpty()).map(Path::of));
    }

    public SimulatedTokenSlotBackend(Optional<Path> device) { this.device = device; }

    /** Makes a new simulated device: a 0600 file of 32 random bytes. */
    public static Path newDevice(Path file) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        try {
            Files.write(file, secret);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return file;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    @Override public SlotType type() { return TYPE; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        return new Enrolment(respond(challenge), challenge, Optional.empty());
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        byte[] challenge = slot.salt();
        if (challenge.length != CHALLENGE_BYTES) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "sim-token slot parameters are malformed", null);
        }
        return respond(challenge);
    }

    /** What the token answers to a challenge: HMAC-SHA256 under the secret it never reveals. */
    private KeyEncryptionKey respond(byte[] challenge) {
        Path file = device.filter(Files::isRegularFile).orElseThrow(() ->
                new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no sim-token device is present"));
        byte[] deviceSecret = null;
        try {
            deviceSecret = Files.readAllBytes(file);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(deviceSecret, "HmacSHA256"));
            return KeyEncryptionKey.adopt(mac.doFinal(challenge));
        } catch (IOException e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the sim-token device cannot be read");
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "HmacSHA256 unavailable", e);
        } finally {
            if (deviceSecret != null) Arrays.fill(deviceSecret, (byte) 0);
        }
    }
}
