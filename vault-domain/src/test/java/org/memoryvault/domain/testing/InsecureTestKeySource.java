package org.memoryvault.domain.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/**
 * A {@link KeySource} for passphrase or key-file slots built from the JDK alone. TEST ONLY: the
 * key-encryption key is SHA-256(salt ‖ secret), with no Argon2id, so a passphrase slot made here
 * is cheap to brute-force. It really wraps and unwraps (AES-256-GCM, with the profile, key
 * version, slot id and type as associated data), so a wrong secret fails as the real sources do:
 * {@code AccessRefusedException(ACCESS_WRONG_SECRET)}. Key files must be 32 bytes
 * ({@code INPUT_KEY_FILE} otherwise).
 */
public final class InsecureTestKeySource implements KeySource {
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;

    private final SlotType type;
    private final RandomGenerator random;
    private int unwrapCalls;

    public InsecureTestKeySource(SlotType type, RandomGenerator random) {
        this.type = Objects.requireNonNull(type, "type");
        this.random = Objects.requireNonNull(random, "random");
    }

    public static InsecureTestKeySource passphrase() { return new InsecureTestKeySource(SlotType.PASSPHRASE, new SecureRandom()); }

    public static InsecureTestKeySource keyFile() { return new InsecureTestKeySource(SlotType.KEY_FILE, new SecureRandom()); }

    @Override public SlotType type() { return type; }

    @Override
    public KeySlot wrap(WrapRequest request, DataKey dataKey, SlotSecret secret) {
        checkSecret(secret);
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] kek = kek(salt, secret);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(dataKey.profile(), dataKey.keyVersion(), request.slotId()));
            byte[] wrapped = c.doFinal(InsecureTestDataKey.of(dataKey).revealForCrypto());
            return new KeySlot(request.slotId(), type, request.label(),
                    type == SlotType.PASSPHRASE ? request.kdf() : java.util.Optional.empty(),
                    salt, nonce, wrapped, request.at());
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
        synchronized (this) {
            unwrapCalls++;
        }
        if (slot.type() != type) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "slot type " + slot.type().wireName()
                    + " given to the " + type.wireName() + " key source", null);
        }
        if (secret.type() != type) throw wrongSecret();
        checkSecret(secret);
        byte[] kek = kek(slot.salt(), secret);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, slot.nonce()));
            c.updateAAD(aad(profile, keyVersion, slot.slotId()));
            byte[] dek = c.doFinal(slot.wrappedKey());
            if (dek.length != InsecureTestDataKey.KEY_BYTES) {
                Arrays.fill(dek, (byte) 0);
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "wrapped key has the wrong length", null);
            }
            // like the real sources: a passphrase slot holds the owner key, a key file only levels 0-2
            return InsecureTestDataKey.adopt(profile, keyVersion, dek, type == SlotType.PASSPHRASE ? 5 : 2, new byte[0]);
        } catch (AEADBadTagException e) {
            throw wrongSecret();
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** How many unwraps were attempted (each one is a proof of a secret, or a failed one). */
    public synchronized int unwrapCalls() { return unwrapCalls; }

    private void checkSecret(SlotSecret secret) {
        if (secret.type() != type) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a " + secret.type().wireName()
                    + " secret cannot make a " + type.wireName() + " slot");
        }
        if (type == SlotType.KEY_FILE && secret.revealForCrypto().length != 32) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "a key file holds exactly 32 bytes");
        }
    }

    private static AccessRefusedException wrongSecret() {
        return new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong passphrase or key file");
    }

    private static byte[] kek(byte[] salt, SlotSecret secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret.revealForCrypto());
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "SHA-256 unavailable", e);
        }
    }

    private byte[] aad(ProfileId profile, int keyVersion, int slotId) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        byte[] t = type.wireName().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + p.length + 4 + 4 + 2 + t.length)
                .putShort((short) p.length).put(p).putInt(keyVersion).putInt(slotId)
                .putShort((short) t.length).put(t).array();
    }
}
