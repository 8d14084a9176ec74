package org.memoryvault.audit.internal;

import java.util.ArrayList;
import java.util.List;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.port.AuditStore;

/**
 * Subtree hashes computed from what the store keeps: leaf hashes, and the hashes of perfect
 * subtrees whose height is a multiple of {@code tileHeight} (like tiles). A perfect subtree of
 * height h is folded from at most 2^(tileHeight-1) stored hashes one tile level below it, so any
 * proof costs O(log N) small range reads, whatever the log size.
 *
 * <p>Security: the result is only as good as the store; proofs built from it are checked by
 * whoever verifies them against a signed root.
 */
public final class StoredTree implements SubtreeSource {
    private final AuditStore store;
    private final int tileHeight;
    private final TreeHasher hasher = new TreeHasher();

    public StoredTree(AuditStore store, int tileHeight) {
        if (tileHeight < 1 || tileHeight > 30) throw new IllegalArgumentException("tileHeight");
        this.store = store;
        this.tileHeight = tileHeight;
    }

    @Override
    public byte[] hash(long start, long end) {
        long length = end - start;
        if (start < 0 || length <= 0) throw new IllegalArgumentException("empty or negative range");
        if (Long.bitCount(length) == 1 && start % length == 0) {
            return perfect(Long.numberOfTrailingZeros(length), start / length);
        }
        long k = ProofBuilder.largestPowerOfTwoBelow(length);
        return hasher.node(hash(start, start + k), hash(start + k, end));
    }

    private byte[] perfect(int height, long index) {
        int base = height - height % tileHeight;
        long from = index << (height - base);
        long to = (index + 1) << (height - base);
        List<byte[]> level = new ArrayList<>((int) (to - from));
        if (base == 0) {
            for (String h : store.leafHashes(from, to)) level.add(decode(h));
        } else {
            long expected = from;
            for (AuditStore.Node n : store.nodes(base, from, to)) {
                if (n.level() != base || n.index() != expected) break;
                level.add(decode(n.hash()));
                expected++;
            }
        }
        if (level.size() != to - from) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG,
                    "the audit store is missing hashes at level " + base + " for leaves " + (from << base) + ".." + ((to << base) - 1), null);
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>(level.size() / 2);
            for (int i = 0; i < level.size(); i += 2) up.add(hasher.node(level.get(i), level.get(i + 1)));
            level = up;
        }
        return level.get(0);
    }

    private static byte[] decode(String hex) { return Heads.decode(hex); }
}
