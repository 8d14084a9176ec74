package org.memoryvault.audit;

import org.memoryvault.audit.internal.TreeHasher;

/**
 * RFC 9162 §2.1.1 Merkle tree hashing with SHA-256, for callers that check proofs themselves.
 * Every method returns a fresh 32-byte array.
 */
public final class MerkleHashes {
    public static final int HASH_BYTES = TreeHasher.HASH_BYTES;

    private MerkleHashes() {}

    /** MTH({}) = SHA-256 of the empty string. */
    public static byte[] emptyRoot() { return new TreeHasher().emptyRoot(); }

    /** SHA-256(0x00 || entry). */
    public static byte[] leafHash(byte[] entry) { return new TreeHasher().leaf(entry); }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) { return new TreeHasher().node(left, right); }
}
