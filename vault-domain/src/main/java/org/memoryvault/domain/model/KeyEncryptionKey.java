package org.memoryvault.domain.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key slot's key-encryption key (KEK): the 32 bytes a slot backend derives or unseals from its
 * secret. The backend hands it to vault-crypto, which wraps and unwraps the profile's keys with it;
 * the backend never sees those keys (docs/adr/0003).
 *
 * <p>Security: no equals/hashCode; redacted toString. {@link #close()} zeroes the bytes; whoever
 * holds it closes it (the key-slot cipher does, right after use).
 */
public final class KeyEncryptionKey implements AutoCloseable {
    public static final int BYTES = 32;

    private final byte[] bytes;
    private volatile boolean closed;

    private KeyEncryptionKey(byte[] bytes) { this.bytes = bytes; }

    /** Takes ownership of {@code bytes} (exactly 32): the caller keeps no copy and must not use it again. */
    public static KeyEncryptionKey adopt(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new org.memoryvault.domain.error.InternalVaultException(org.memoryvault.domain.error.ErrorCode.INTERNAL_CRYPTO,
                    "a slot backend made a key-encryption key of " + bytes.length + " bytes, not " + BYTES, null);
        }
        return new KeyEncryptionKey(bytes);
    }

    /** The key bytes themselves (not a copy), for the cipher; fails once closed. */
    public byte[] revealForCrypto() {
        if (closed) {
            throw new org.memoryvault.domain.error.InternalVaultException(org.memoryvault.domain.error.ErrorCode.INTERNAL_CRYPTO,
                    "key-encryption key is closed", null);
        }
        return bytes;
    }

    @Override public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override public String toString() { return "KeyEncryptionKey[redacted]"; }
}
