package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.crypto.internal.SlotAssociatedData;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.SlotBackend;

/**
 * The key-slot cipher over every registered {@link SlotBackend} (docs/FORMAT.md §3, docs/adr/0003):
 * the backend gives the slot's key-encryption key; this wraps the profile's keys under it with
 * XChaCha20-Poly1305-IETF, a random 24-byte nonce and the slot's associated data
 * ({@link SlotAssociatedData}). The plaintext is the 32-byte level-2 tier key, followed, in a slot
 * whose type holds the owner key ({@link SlotType#holdsOwnerKey()}, passphrase slots), by the
 * 32-byte owner key. Backends never see either key.
 *
 * <p>Security: every KEK is closed (zeroed) before this returns. A tag failure is
 * {@code ACCESS_WRONG_SECRET} with one message for every slot and cause (wrong secret or device,
 * slot moved to another profile, edited slot).
 */
final class SodiumKeySource implements KeySource {
    static final int WRAPPED_KEY_BYTES = Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;
    static final int WRAPPED_OWNER_KEY_BYTES = 2 * Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;

    private final Libsodium sodium;
    private final Map<SlotType, SlotBackend> backends;

    @Inject
    SodiumKeySource(LazySodiumJava binding, Set<SlotBackend> backends) {
        this(new Libsodium(binding), backends);
    }

    SodiumKeySource(Libsodium sodium, Collection<SlotBackend> backends) {
        this.sodium = Objects.requireNonNull(sodium, "sodium");
        Map<SlotType, SlotBackend> byType = new HashMap<>();
        for (SlotBackend b : backends) {
            SlotBackend clash = byType.putIfAbsent(b.type(), b);
            if (clash != null) {
                throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "two slot backends for the type '"
                        + b.type().wireName() + "': " + clash.getClass().getName() + " and " + b.getClass().getName(), null);
            }
        }
        this.backends = Map.copyOf(byType);
    }

    @Override public Set<SlotType> types() { return backends.keySet(); }

    @Override public SlotBackend.SecretInput input(SlotType type) { return backend(type).input(); }

    @Override
    public KeySlot wrap(SlotType type, WrapRequest request, DataKey dataKey, SlotSecret secret) {
        Objects.requireNonNull(request, "request");
        SlotBackend backend = backend(type);
        requireSecretOf(type, secret);
        if (SodiumDataKey.tierLevel(dataKey) != 2) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "only a profile key can be wrapped in a slot", null);
        }
        SlotBackend.Enrolment enrolment = backend.enrol(secret, Objects.requireNonNull(request.kdf(), "kdf"));
        boolean owner = type.holdsOwnerKey() && dataKey.isOwner();
        byte[] keys = owner ? concat(SodiumDataKey.copyOf(dataKey), SodiumDataKey.ownerCopy(dataKey))
                : SodiumDataKey.copyOf(dataKey);
        try (KeyEncryptionKey kek = enrolment.kek()) {
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] ad = SlotAssociatedData.encode(dataKey.profile(), dataKey.keyVersion(), request.slotId(), type);
            byte[] wrapped = sodium.aeadEncrypt(kek.revealForCrypto(), nonce, ad, keys);
            Instant at = Objects.requireNonNull(request.at(), "at");
            return new KeySlot(request.slotId(), type, request.label(), enrolment.kdf(), enrolment.parameters(), nonce, wrapped, at);
        } finally {
            Libsodium.wipe(keys);
        }
    }

    @Override
    public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
        Objects.requireNonNull(profile, "profile");
        SlotBackend backend = backend(slot.type());
        requireSecretOf(slot.type(), secret);
        byte[] wrapped = slot.wrappedKey();
        boolean owner = wrapped.length == WRAPPED_OWNER_KEY_BYTES && slot.type().holdsOwnerKey();
        if ((wrapped.length != WRAPPED_KEY_BYTES && !owner) || slot.nonce().length != Libsodium.NONCE_BYTES) throw malformed();
        byte[] ad = SlotAssociatedData.encode(profile, keyVersion, slot.slotId(), slot.type());
        byte[] keys = new byte[wrapped.length - Libsodium.TAG_BYTES];
        try (KeyEncryptionKey kek = backend.open(slot, secret)) {
            if (!sodium.aeadDecrypt(keys, kek.revealForCrypto(), slot.nonce(), ad, wrapped)) throw wrongSecret();
        }
        if (!owner) return new SodiumDataKey(profile, keyVersion, keys);
        try {
            return new SodiumDataKey(profile, keyVersion, 2, Arrays.copyOfRange(keys, 0, Libsodium.KEY_BYTES),
                    Arrays.copyOfRange(keys, Libsodium.KEY_BYTES, keys.length), null);
        } finally {
            Libsodium.wipe(keys);
        }
    }

    /** The device secret of level 5 under the backend's KEK, with the device slot's associated data (FORMAT.md §3). */
    @Override
    public KeySlot wrapDeviceSecret(SlotType type, WrapRequest request, DataKey boundKey, SlotSecret secret) {
        Objects.requireNonNull(request, "request");
        SlotBackend backend = backend(type);
        requireSecretOf(type, secret);
        byte[] device = SodiumDataKey.deviceCopy(boundKey);
        SlotBackend.Enrolment enrolment = backend.enrol(secret, Objects.requireNonNull(request.kdf(), "kdf"));
        try (KeyEncryptionKey kek = enrolment.kek()) {
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] ad = SlotAssociatedData.encodeDevice(boundKey.profile(), boundKey.keyVersion(), request.slotId(), type);
            byte[] wrapped = sodium.aeadEncrypt(kek.revealForCrypto(), nonce, ad, device);
            return new KeySlot(request.slotId(), type, request.label(), enrolment.kdf(), enrolment.parameters(), nonce, wrapped,
                    Objects.requireNonNull(request.at(), "at"));
        } finally {
            Libsodium.wipe(device);
        }
    }

    @Override
    public DataKey unwrapDeviceSecret(KeySlot slot, DataKey ownerKey, SlotSecret secret) {
        if (!ownerKey.isOwner()) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "a device slot opens with the owner key only", null);
        SlotBackend backend = backend(slot.type());
        requireSecretOf(slot.type(), secret);
        byte[] wrapped = slot.wrappedKey();
        if (wrapped.length != WRAPPED_KEY_BYTES || slot.nonce().length != Libsodium.NONCE_BYTES) throw malformed();
        byte[] ad = SlotAssociatedData.encodeDevice(ownerKey.profile(), ownerKey.keyVersion(), slot.slotId(), slot.type());
        byte[] device = new byte[Libsodium.KEY_BYTES];
        try (KeyEncryptionKey kek = backend.open(slot, secret)) {
            if (!sodium.aeadDecrypt(device, kek.revealForCrypto(), slot.nonce(), ad, wrapped)) {
                Libsodium.wipe(device);
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong device or recovery code");
            }
        }
        try {
            return new SodiumDataKey(ownerKey.profile(), ownerKey.keyVersion(), 2, SodiumDataKey.copyOf(ownerKey),
                    SodiumDataKey.ownerCopy(ownerKey), null, device);
        } catch (RuntimeException e) {
            Libsodium.wipe(device);
            throw e;
        }
    }

    private SlotBackend backend(SlotType type) {
        SlotBackend b = backends.get(Objects.requireNonNull(type, "type"));
        if (b == null) {
            throw new InvalidInputException(ErrorCode.INPUT_SLOT_BACKEND, "no backend is installed for key slot type '"
                    + type.wireName() + "' (installed: " + new TreeSet<>(backends.keySet().stream().map(SlotType::wireName).toList()) + ")");
        }
        return b;
    }

    private static void requireSecretOf(SlotType type, SlotSecret secret) {
        if (!secret.type().equals(type)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a " + type.wireName() + " slot needs a "
                    + type.wireName() + " secret, not a " + secret.type().wireName());
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
