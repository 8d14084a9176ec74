package org.memoryvault.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/**
 * A profile's 32-byte data key, held by this module only. The domain sees it as a {@link DataKey}
 * handle; the bytes leave it only as a copy, through {@link #copyOf(DataKey)}, for one libsodium call.
 *
 * <p>Security: {@link #close()} zeroes the bytes; a closed key refuses every use with
 * {@code INTERNAL_CRYPTO} (using one is a bug). No equals/hashCode; toString is redacted.
 */
final class SodiumDataKey implements DataKey {
    private final ProfileId profile;
    private final int keyVersion;
    private final byte[] bytes;
    private boolean destroyed;

    /** Takes ownership of {@code bytes} (exactly 32). */
    SodiumDataKey(ProfileId profile, int keyVersion, byte[] bytes) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.keyVersion = keyVersion;
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != Libsodium.KEY_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "a data key must be 32 bytes", null);
        }
    }

    /**
     * A copy of the key bytes of a key made by this module; the caller wipes it after use. A copy,
     * so that a concurrent {@link #close()} (e.g. by the key cache) cannot zero it mid-operation.
     */
    static byte[] copyOf(DataKey key) {
        if (!(key instanceof SodiumDataKey)) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "data key was not made by vault-crypto", null);
        }
        return ((SodiumDataKey) key).copy();
    }

    private synchronized byte[] copy() {
        if (destroyed) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "data key is closed", null);
        return bytes.clone();
    }

    @Override public ProfileId profile() { return profile; }

    @Override public int keyVersion() { return keyVersion; }

    @Override public synchronized boolean isDestroyed() { return destroyed; }

    @Override
    public synchronized void close() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override public String toString() { return "DataKey[" + profile + " v" + keyVersion + ", redacted]"; }
}
