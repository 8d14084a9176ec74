package org.memoryvault.domain.testing;

import java.util.Arrays;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/**
 * The {@link DataKey} handle of {@link InsecureTestSealer} and {@link InsecureTestKeySource}: 32
 * key bytes in a Java array. TEST ONLY.
 *
 * <p>Security: none worth the name; it exists so domain tests can run without libsodium. No
 * equals/hashCode, redacted toString, {@link #close()} zeroes the bytes and later use fails.
 */
public final class InsecureTestDataKey implements DataKey {
    public static final int KEY_BYTES = 32;

    private final ProfileId profile;
    private final int keyVersion;
    private final byte[] bytes;
    private final int reach;
    private final byte[] boxPublicKey;
    private volatile boolean destroyed;

    private InsecureTestDataKey(ProfileId profile, int keyVersion, byte[] bytes, int reach, byte[] boxPublicKey) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.keyVersion = keyVersion;
        this.bytes = bytes;
        this.reach = reach;
        this.boxPublicKey = boxPublicKey;
    }

    /** Takes ownership of {@code bytes} (32 of them): the owner's key (it reaches every level). */
    public static InsecureTestDataKey adopt(ProfileId profile, int keyVersion, byte[] bytes) {
        return adopt(profile, keyVersion, bytes, 5, new byte[0]);
    }

    /** Takes ownership of {@code bytes}: a key reaching {@code reach}; an agent's has its box public key. */
    public static InsecureTestDataKey adopt(ProfileId profile, int keyVersion, byte[] bytes, int reach, byte[] boxPublicKey) {
        if (bytes.length != KEY_BYTES) throw new IllegalArgumentException("a data key is 32 bytes");
        return new InsecureTestDataKey(profile, keyVersion, bytes, reach, boxPublicKey);
    }

    /** The same key bytes (copied) with another reach. */
    public InsecureTestDataKey withReach(int newReach) {
        return new InsecureTestDataKey(profile, keyVersion, revealForCrypto().clone(), newReach, boxPublicKey);
    }

    /** The public key an agent's releases are sealed to (empty for profile keys). */
    public byte[] boxPublicKey() { return boxPublicKey.clone(); }

    /** The key bytes themselves (not a copy). Fails once closed. */
    public byte[] revealForCrypto() {
        if (destroyed) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "the data key handle is closed", null);
        return bytes;
    }

    /** Casts a handle made by the test crypto; any other handle is a wiring bug. */
    static InsecureTestDataKey of(DataKey key) {
        if (key instanceof InsecureTestDataKey k) return k;
        throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "not a test data key: " + key.getClass().getName(), null);
    }

    @Override public ProfileId profile() { return profile; }

    @Override public int keyVersion() { return keyVersion; }

    @Override public int reach() { return reach; }

    @Override public boolean isDestroyed() { return destroyed; }

    @Override public void close() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override public String toString() { return "InsecureTestDataKey[" + profile + " v" + keyVersion + ", redacted]"; }
}
