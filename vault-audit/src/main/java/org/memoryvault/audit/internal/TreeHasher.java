package org.memoryvault.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;

/**
 * RFC 9162 §2.1.1 hashing with one reusable SHA-256 instance: leaf = SHA-256(0x00 || entry),
 * node = SHA-256(0x01 || left || right), empty tree = SHA-256(""). Not thread-safe: one per task.
 */
public final class TreeHasher {
    public static final int HASH_BYTES = 32;

    private final MessageDigest sha256;

    public TreeHasher() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "SHA-256 is not available", e);
        }
    }

    public byte[] emptyRoot() {
        sha256.reset();
        return sha256.digest();
    }

    public byte[] leaf(byte[] entry) {
        sha256.reset();
        sha256.update((byte) 0x00);
        sha256.update(entry);
        return sha256.digest();
    }

    public byte[] node(byte[] left, byte[] right) {
        sha256.reset();
        sha256.update((byte) 0x01);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    /** Plain SHA-256, for note key ids. */
    public byte[] sha256(byte[] data) {
        sha256.reset();
        return sha256.digest(data);
    }
}
