package org.memoryvault.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/**
 * Unwrapped key material of a profile, held by this module only (docs/FORMAT.md §3): the tier key
 * of level {@code tierLevel} (0-2; a key file's and a session's is the level-2 key, from which the
 * lower ones derive), and, for the owner, the owner key from which the level 3-5 key pairs derive;
 * for an agent principal, the secret half of the key pair approvals are sealed to. The domain sees
 * it as a {@link DataKey} handle; bytes leave it only as copies, for one libsodium call.
 *
 * <p>Security: {@link #close()} zeroes every part; a closed key refuses every use with
 * {@code INTERNAL_CRYPTO} (using one is a bug). No equals/hashCode; toString is redacted.
 */
final class SodiumDataKey implements DataKey {
    private final ProfileId profile;
    private final int keyVersion;
    private final int tierLevel;
    private final byte[] tierKey;
    private final byte @Nullable [] ownerKey;
    private final byte @Nullable [] boxSecret;
    /** The device secret of level 5 (docs/FORMAT.md §3), in an owner key of a profile whose level 5 is bound to a device. */
    private final byte @Nullable [] deviceSecret;
    /** Tier keys of levels 0 and 1 derived from {@link #tierKey}, kept after first use (as secret as it; wiped with it). */
    private final byte[] @Nullable [] derived = new byte[2][];
    private boolean destroyed;

    /** A level-2 tier key (a key file's, a session's). Takes ownership of {@code tierKey}. */
    SodiumDataKey(ProfileId profile, int keyVersion, byte[] tierKey) {
        this(profile, keyVersion, 2, tierKey, null, null);
    }

    /** Takes ownership of every array. */
    SodiumDataKey(ProfileId profile, int keyVersion, int tierLevel, byte[] tierKey, byte @Nullable [] ownerKey,
                  byte @Nullable [] boxSecret) {
        this(profile, keyVersion, tierLevel, tierKey, ownerKey, boxSecret, null);
    }

    /** An owner key with the device secret of level 5. Takes ownership of every array. */
    SodiumDataKey(ProfileId profile, int keyVersion, int tierLevel, byte[] tierKey, byte @Nullable [] ownerKey,
                  byte @Nullable [] boxSecret, byte @Nullable [] deviceSecret) {
        this.deviceSecret = deviceSecret;
        this.profile = Objects.requireNonNull(profile, "profile");
        this.keyVersion = keyVersion;
        this.tierLevel = tierLevel;
        this.tierKey = Objects.requireNonNull(tierKey, "tierKey");
        this.ownerKey = ownerKey;
        this.boxSecret = boxSecret;
        boolean ok = tierKey.length == Libsodium.KEY_BYTES && tierLevel >= 0 && tierLevel <= 2
                && (ownerKey == null || (ownerKey.length == Libsodium.KEY_BYTES && tierLevel == 2))
                && (boxSecret == null || boxSecret.length == Libsodium.BOX_SECRET_KEY_BYTES)
                && (deviceSecret == null || (deviceSecret.length == Libsodium.KEY_BYTES && ownerKey != null));
        if (!ok) {
            close();
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "malformed key material", null);
        }
    }

    /**
     * A copy of the tier key (for the owner and key files: the level-2 key) of a key made by this
     * module; the caller wipes it. A copy, so a concurrent {@link #close()} cannot zero it mid-operation.
     */
    static byte[] copyOf(DataKey key) {
        return of(key).copy(key0 -> key0.tierKey);
    }

    /** A copy of the owner key; {@code INTERNAL_CRYPTO} if this is not the owner's key. */
    static byte[] ownerCopy(DataKey key) {
        return of(key).copy(k -> k.ownerKey);
    }

    /** A copy of the principal's box secret key; {@code INTERNAL_CRYPTO} if this is not an agent's key. */
    static byte[] boxSecretCopy(DataKey key) {
        return of(key).copy(k -> k.boxSecret);
    }

    /** A copy of the device secret of level 5; {@code INTERNAL_CRYPTO} if this key carries none. */
    static byte[] deviceCopy(DataKey key) {
        return of(key).copy(k -> k.deviceSecret);
    }

    static int tierLevel(DataKey key) { return of(key).tierLevel; }

    private static SodiumDataKey of(DataKey key) {
        if (!(key instanceof SodiumDataKey k)) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "data key was not made by vault-crypto", null);
        }
        return k;
    }

    private synchronized byte[] copy(java.util.function.Function<SodiumDataKey, byte @Nullable []> part) {
        if (destroyed) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "data key is closed", null);
        byte[] b = part.apply(this);
        if (b == null) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "this key has no such part", null);
        return b.clone();
    }

    /**
     * A copy of the tier key of {@code level} (at most this key's tier level), derived once with
     * {@code derive(key of level n + 1, n)} and cached; the caller wipes the copy.
     */
    static byte[] tierCopy(DataKey key, int level, java.util.function.BiFunction<byte[], Integer, byte[]> derive) {
        return of(key).tier(level, derive);
    }

    private synchronized byte[] tier(int level, java.util.function.BiFunction<byte[], Integer, byte[]> derive) {
        if (destroyed) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "data key is closed", null);
        if (level < 0 || level > tierLevel) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "tier out of reach", null);
        if (level == tierLevel) return tierKey.clone();
        byte[] cached = derived[level];
        if (cached == null) {
            byte[] k = tierKey.clone();
            for (int n = tierLevel - 1; n >= level; n--) {
                byte[] next = derive.apply(k, n);
                Arrays.fill(k, (byte) 0);
                k = next;
                if (derived[n] == null) derived[n] = k.clone();
            }
            Arrays.fill(k, (byte) 0);
            cached = derived[level];
        }
        return java.util.Objects.requireNonNull(cached).clone();
    }

    @Override public ProfileId profile() { return profile; }

    @Override public int keyVersion() { return keyVersion; }

    @Override public int reach() { return ownerKey != null ? 5 : tierLevel; }

    @Override public boolean hasDeviceSecret() { return deviceSecret != null; }

    @Override public synchronized boolean isDestroyed() { return destroyed; }

    @Override
    public synchronized void close() {
        Arrays.fill(tierKey, (byte) 0);
        if (ownerKey != null) Arrays.fill(ownerKey, (byte) 0);
        if (boxSecret != null) Arrays.fill(boxSecret, (byte) 0);
        if (deviceSecret != null) Arrays.fill(deviceSecret, (byte) 0);
        for (byte[] d : derived) if (d != null) Arrays.fill(d, (byte) 0);
        destroyed = true;
    }

    @Override public String toString() { return "DataKey[" + profile + " v" + keyVersion + ", reach " + reach() + ", redacted]"; }
}
