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

    private final RandomGenerator random;
    private final java.util.Map<SlotType, Integer> unwrapCalls = new java.util.HashMap<>();

    public InsecureTestKeySource(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public static InsecureTestKeySource create() { return new InsecureTestKeySource(new SecureRandom()); }

    @Override public java.util.Set<SlotType> types() { return java.util.Set.of(SlotType.PASSPHRASE, SlotType.KEY_FILE); }

    @Override
    public org.memoryvault.domain.port.SlotBackend.SecretInput input(SlotType type) {
        if (type.equals(SlotType.PASSPHRASE)) return org.memoryvault.domain.port.SlotBackend.SecretInput.PASSPHRASE;
        if (type.equals(SlotType.KEY_FILE)) return org.memoryvault.domain.port.SlotBackend.SecretInput.KEY_FILE;
        throw new InvalidInputException(ErrorCode.INPUT_SLOT_BACKEND, "no backend for slot type '" + type.wireName() + "'");
    }

    @Override
    public KeySlot wrap(SlotType type, WrapRequest request, DataKey dataKey, SlotSecret secret) {
        input(type);
        checkSecret(type, secret);
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] kek = kek(salt, secret);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(type, dataKey.profile(), dataKey.keyVersion(), request.slotId()));
            byte[] wrapped = c.doFinal(InsecureTestDataKey.of(dataKey).revealForCrypto());
            return new KeySlot(request.slotId(), type, request.label(),
                    type.equals(SlotType.PASSPHRASE) ? java.util.Optional.of(request.kdf()) : java.util.Optional.empty(),
                    salt, nonce, wrapped, request.at());
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** Level 5 bound to a device is tested with the real cipher (vault-crypto, vault-app), not with this double. */
    @Override
    public KeySlot wrapDeviceSecret(SlotType type, WrapRequest request, DataKey boundKey, SlotSecret secret) {
        throw new UnsupportedOperationException("device slots are not part of the insecure test double");
    }

    @Override
    public DataKey unwrapDeviceSecret(KeySlot slot, DataKey ownerKey, SlotSecret secret) {
        throw new UnsupportedOperationException("device slots are not part of the insecure test double");
    }

    @Override
    public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
        SlotType type = slot.type();
        input(type);
        synchronized (this) {
            unwrapCalls.merge(type, 1, Integer::sum);
        }
        if (!secret.type().equals(type)) throw wrongSecret();
        checkSecret(type, secret);
        byte[] kek = kek(slot.salt(), secret);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, slot.nonce()));
            c.updateAAD(aad(type, profile, keyVersion, slot.slotId()));
            byte[] dek = c.doFinal(slot.wrappedKey());
            if (dek.length != InsecureTestDataKey.KEY_BYTES) {
                Arrays.fill(dek, (byte) 0);
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "wrapped key has the wrong length", null);
            }
            // like the real sources: a passphrase slot holds the owner key, a key file only levels 0-2
            return InsecureTestDataKey.adopt(profile, keyVersion, dek, type.holdsOwnerKey() ? 5 : 2, new byte[0]);
        } catch (AEADBadTagException e) {
            throw wrongSecret();
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** How many unwraps were attempted (each one is a proof of a secret, or a failed one). */
    public synchronized int unwrapCalls(SlotType type) { return unwrapCalls.getOrDefault(type, 0); }

    private static void checkSecret(SlotType type, SlotSecret secret) {
        if (!secret.type().equals(type)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a " + secret.type().wireName()
                    + " secret cannot make a " + type.wireName() + " slot");
        }
        if (type.equals(SlotType.KEY_FILE) && secret.revealForCrypto().length != 32) {
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

    private static byte[] aad(SlotType type, ProfileId profile, int keyVersion, int slotId) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        byte[] t = type.wireName().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + p.length + 4 + 4 + 2 + t.length)
                .putShort((short) p.length).put(p).putInt(keyVersion).putInt(slotId)
                .putShort((short) t.length).put(t).array();
    }
}
