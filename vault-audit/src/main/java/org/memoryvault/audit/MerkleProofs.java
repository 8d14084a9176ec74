package org.memoryvault.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.TreeHasher;

/**
 * Checks RFC 9162 inclusion (§2.1.3) and consistency (§2.1.4) proofs against trusted roots.
 * Each check first lays out the tree shape the proof must have (which side each element sits on,
 * top down), rejects a proof of the wrong length, then folds the hashes leaf side up.
 *
 * <p>Security: a {@code true} answer is only as trusted as the roots passed in; take them from a
 * checkpoint whose signature you verified. Any malformed input (a proof element that is not 32
 * bytes, an index outside the tree, sizes out of order) yields {@code false}, never an exception;
 * roots are compared as given.
 */
public final class MerkleProofs {
    private MerkleProofs() {}

    /** True when {@code path} proves that {@code leafHash} is leaf {@code index} of the tree of {@code treeSize} leaves with {@code root}. */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> path, byte[] root) {
        if (index < 0 || treeSize <= 0 || index >= treeSize || !wellFormed(path)) return false;
        List<Boolean> siblingOnRight = new ArrayList<>();
        long start = 0;
        long end = treeSize;
        while (end - start > 1) {
            long k = ProofBuilder.largestPowerOfTwoBelow(end - start);
            if (index < start + k) {
                siblingOnRight.add(true);
                end = start + k;
            } else {
                siblingOnRight.add(false);
                start = start + k;
            }
        }
        if (siblingOnRight.size() != path.size()) return false;
        TreeHasher h = new TreeHasher();
        byte[] acc = leafHash;
        int depth = path.size();
        for (int i = 0; i < depth; i++) {
            byte[] sibling = path.get(i);
            acc = siblingOnRight.get(depth - 1 - i) ? h.node(acc, sibling) : h.node(sibling, acc);
        }
        return MessageDigest.isEqual(acc, root);
    }

    /**
     * True when {@code proof} shows that the tree of {@code firstSize} leaves with root
     * {@code firstRoot} is a prefix of the tree of {@code secondSize} leaves with root
     * {@code secondRoot}. Equal sizes need an empty proof and equal roots; from size 0 the proof
     * is empty (every tree extends the empty one).
     */
    public static boolean verifyConsistency(long firstSize, long secondSize, List<byte[]> proof, byte[] firstRoot, byte[] secondRoot) {
        if (firstSize < 0 || firstSize > secondSize || !wellFormed(proof)) return false;
        if (firstSize == secondSize) return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        if (firstSize == 0) return proof.isEmpty();
        // Top down: at each level the old tree's boundary either stays in the left child (the right
        // child is new-only) or passes it (the left child is shared, unchanged, by both trees).
        List<Boolean> newOnlyRight = new ArrayList<>();
        long start = 0;
        long end = secondSize;
        boolean oldTreeIsWholeSubtree = true;
        while (end != firstSize) {
            long k = ProofBuilder.largestPowerOfTwoBelow(end - start);
            if (firstSize <= start + k) {
                newOnlyRight.add(true);
                end = start + k;
            } else {
                newOnlyRight.add(false);
                start = start + k;
                oldTreeIsWholeSubtree = false;
            }
        }
        int expected = newOnlyRight.size() + (oldTreeIsWholeSubtree ? 0 : 1);
        if (proof.size() != expected) return false;
        TreeHasher h = new TreeHasher();
        int next = 0;
        byte[] oldAcc;
        if (oldTreeIsWholeSubtree) {
            oldAcc = firstRoot;
        } else {
            oldAcc = proof.get(next++);
        }
        byte[] newAcc = oldAcc;
        for (int level = newOnlyRight.size() - 1; level >= 0; level--) {
            byte[] sibling = proof.get(next++);
            if (newOnlyRight.get(level)) {
                newAcc = h.node(newAcc, sibling);
            } else {
                oldAcc = h.node(sibling, oldAcc);
                newAcc = h.node(sibling, newAcc);
            }
        }
        return MessageDigest.isEqual(oldAcc, firstRoot) && MessageDigest.isEqual(newAcc, secondRoot);
    }

    private static boolean wellFormed(List<byte[]> hashes) {
        for (byte[] h : hashes) {
            if (!isHash(h)) return false;
        }
        return true;
    }

    private static boolean isHash(byte[] h) { return h.length == TreeHasher.HASH_BYTES; }
}
