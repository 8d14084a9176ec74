package org.memoryvault.audit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds RFC 9162 §2.1.3.1 inclusion paths and §2.1.4.1 consistency proofs by walking the same
 * split-at-the-largest-power-of-two recursion as the RFC, asking a {@link SubtreeSource} for each
 * sibling subtree. Proof elements come out leaf side first, as the RFC lists them.
 */
public final class ProofBuilder {
    private ProofBuilder() {}

    /** PATH(index, D[0:size]); requires {@code 0 <= index < size}. */
    public static List<byte[]> inclusion(SubtreeSource tree, long index, long size) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("index outside the tree");
        List<byte[]> out = new ArrayList<>();
        path(tree, index, 0, size, out);
        return out;
    }

    private static void path(SubtreeSource tree, long m, long start, long end, List<byte[]> out) {
        if (end - start == 1) return;
        long k = largestPowerOfTwoBelow(end - start);
        if (m < start + k) {
            path(tree, m, start, start + k, out);
            out.add(tree.hash(start + k, end));
        } else {
            path(tree, m, start + k, end, out);
            out.add(tree.hash(start, start + k));
        }
    }

    /** PROOF(first, D[0:second]); empty when {@code first == 0} or {@code first == second}. */
    public static List<byte[]> consistency(SubtreeSource tree, long first, long second) {
        if (first < 0 || first > second) throw new IllegalArgumentException("sizes out of order");
        List<byte[]> out = new ArrayList<>();
        if (first == 0 || first == second) return out;
        subproof(tree, first, 0, second, true, out);
        return out;
    }

    private static void subproof(SubtreeSource tree, long m, long start, long end, boolean whole, List<byte[]> out) {
        if (end == m) {
            if (!whole) out.add(tree.hash(start, end));
            return;
        }
        long k = largestPowerOfTwoBelow(end - start);
        if (m <= start + k) {
            subproof(tree, m, start, start + k, whole, out);
            out.add(tree.hash(start + k, end));
        } else {
            subproof(tree, m, start + k, end, false, out);
            out.add(tree.hash(start, start + k));
        }
    }

    /** The largest power of two strictly less than {@code n} (n >= 2). */
    public static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }
}
