package org.memoryvault.crypto;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.memoryvault.domain.error.InternalVaultException;
import java.util.Optional;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.crypto.internal.SlotAssociatedData;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/**
 * Wraps a profile's keys under a key-encryption key, the part every software key source shares
 * (docs/FORMAT.md §3): XChaCha20-Poly1305-IETF, random 24-byte nonce, associated data =
 * {@link SlotAssociatedData}. The plaintext is the 32-byte level-2 tier key, followed, in an owner
 * slot (a passphrase slot), by the 32-byte owner key: a key-file slot never holds the owner key.
 *
 * <p>Security: the caller owns and wipes the KEK. A tag failure is {@code ACCESS_WRONG_SECRET}
 * with one message for every slot and cause (wrong secret, slot moved to another profile, edited
 * slot), so a failure tells an attacker nothing about which it was.
 */
final class SlotCipher {
    static final int WRAPPED_KEY_BYTES = Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;
    static final int WRAPPED_OWNER_KEY_BYTES = 2 * Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;

    private final Libsodium sodium;

    SlotCipher(Libsodium sodium) { this.sodium = Objects.requireNonNull(sodium, "sodium"); }

    KeySlot wrap(byte[] kek, DataKey dataKey, SlotType type, KeySource.WrapRequest request,
                 Optional<KdfParameters> kdf, byte[] salt) {
        Objects.requireNonNull(request, "request");
        if (SodiumDataKey.tierLevel(dataKey) != 2) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "only a profile key can be wrapped in a slot", null);
        }
        boolean owner = type == SlotType.PASSPHRASE && dataKey.isOwner();
        byte[] dek = owner ? concat(SodiumDataKey.copyOf(dataKey), SodiumDataKey.ownerCopy(dataKey))
                : SodiumDataKey.copyOf(dataKey);
        try {
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] ad = SlotAssociatedData.encode(dataKey.profile(), dataKey.keyVersion(), request.slotId(), type);
            byte[] wrapped = sodium.aeadEncrypt(kek, nonce, ad, dek);
            Instant at = Objects.requireNonNull(request.at(), "at");
            return new KeySlot(request.slotId(), type, request.label(), kdf, salt, nonce, wrapped, at);
        } finally {
            Libsodium.wipe(dek);
        }
    }

    DataKey unwrap(byte[] kek, KeySlot slot, ProfileId profile, int keyVersion) {
        byte[] wrapped = slot.wrappedKey();
        boolean owner = wrapped.length == WRAPPED_OWNER_KEY_BYTES && slot.type() == SlotType.PASSPHRASE;
        if ((wrapped.length != WRAPPED_KEY_BYTES && !owner) || slot.nonce().length != Libsodium.NONCE_BYTES) throw malformed();
        byte[] ad = SlotAssociatedData.encode(profile, keyVersion, slot.slotId(), slot.type());
        byte[] keys = new byte[wrapped.length - Libsodium.TAG_BYTES];
        if (!sodium.aeadDecrypt(keys, kek, slot.nonce(), ad, wrapped)) throw wrongSecret();
        if (!owner) return new SodiumDataKey(profile, keyVersion, keys);
        try {
            return new SodiumDataKey(profile, keyVersion, 2, Arrays.copyOfRange(keys, 0, Libsodium.KEY_BYTES),
                    Arrays.copyOfRange(keys, Libsodium.KEY_BYTES, keys.length), null);
        } finally {
            Libsodium.wipe(keys);
        }
    }

    /** {@code a || b}; wipes both. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Libsodium.wipe(a, b);
        return out;
    }

    static AccessRefusedException wrongSecret() {
        return new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong passphrase or key file");
    }

    static IntegrityException malformed() {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "key slot record is malformed", null);
    }
}
