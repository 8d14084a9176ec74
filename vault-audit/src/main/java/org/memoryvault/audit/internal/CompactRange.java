package org.memoryvault.audit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree of {@code size} leaves: the roots of its perfect subtrees,
 * largest first, one per set bit of {@code size}. Appending a leaf merges equal-height roots
 * (O(log N) hashes) and reports every subtree it completes; the root folds the edge from the
 * right, as RFC 9162's MTH splits at the largest power of two.
 */
public final class CompactRange {
    /** Receives each perfect subtree completed by an append. */
    public interface Sink {
        void completed(int height, long index, byte[] hash);
    }

    private long size;
    private final ArrayList<byte[]> hashes;

    private CompactRange(long size, List<byte[]> hashes) {
        if (size < 0 || Long.bitCount(size) != hashes.size()) {
            throw new IllegalArgumentException("compact range of " + hashes.size() + " hashes cannot describe size " + size);
        }
        this.size = size;
        this.hashes = new ArrayList<>(hashes.size() + 1);
        for (byte[] h : hashes) {
            if (h.length != TreeHasher.HASH_BYTES) throw new IllegalArgumentException("hash length");
            this.hashes.add(h.clone());
        }
    }

    public static CompactRange empty() { return new CompactRange(0, List.of()); }

    public static CompactRange of(long size, List<byte[]> hashes) { return new CompactRange(size, hashes); }

    public long size() { return size; }

    /** Copies of the edge hashes, largest subtree first. */
    public List<byte[]> hashes() {
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) out.add(h.clone());
        return out;
    }

    public void append(byte[] leafHash, TreeHasher hasher, Sink sink) {
        byte[] carry = leafHash.clone();
        long bits = size;
        int height = 0;
        while ((bits & 1) == 1) {
            carry = hasher.node(hashes.remove(hashes.size() - 1), carry);
            bits >>>= 1;
            height++;
            sink.completed(height, size >>> height, carry);
        }
        hashes.add(carry);
        size++;
    }

    public byte[] root(TreeHasher hasher) {
        if (hashes.isEmpty()) return hasher.emptyRoot();
        byte[] acc = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) acc = hasher.node(hashes.get(i), acc);
        return acc.clone();
    }
}
