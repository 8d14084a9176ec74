package org.memoryvault.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately naive RFC 9162 implementation for tests: MTH, PATH and PROOF by
 * the recursive definitions of §2.1.1, §2.1.3.1 and §2.1.4.1 over the full leaf list, and the
 * verification algorithms of §2.1.3.2 and §2.1.4.2 step by step. Shares no code with main.
 */
final class Rfc9162Reference {
    private Rfc9162Reference() {}

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] leaf(byte[] d) { return sha256(new byte[] {0}, d); }

    static byte[] node(byte[] l, byte[] r) { return sha256(new byte[] {1}, l, r); }

    static int k(int n) {
        int k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) return sha256();
        if (n == 1) return leaf(d.get(0));
        int k = k(n);
        return node(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) return out;
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    static List<byte[]> proof(int m, List<byte[]> d) {
        if (m == 0 || m == d.size()) return new ArrayList<>();
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) out.add(mth(d));
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** RFC 9162 §2.1.3.2. */
    static boolean verifyInclusion(long leafIndex, long treeSize, byte[] hash, List<byte[]> inclusionPath, byte[] rootHash) {
        if (leafIndex >= treeSize) return false;
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = hash;
        for (byte[] p : inclusionPath) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, rootHash);
    }

    /** RFC 9162 §2.1.4.2, with the trivial cases (equal sizes, first = 0) handled before it. */
    static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> consistencyPath) {
        if (first > second) return false;
        if (first == second) return consistencyPath.isEmpty() && MessageDigest.isEqual(firstHash, secondHash);
        if (first == 0) return consistencyPath.isEmpty();
        if (consistencyPath.isEmpty()) return false;
        List<byte[]> path = new ArrayList<>(consistencyPath);
        if (Long.bitCount(first) == 1) path.add(0, firstHash);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return MessageDigest.isEqual(fr, firstHash) && MessageDigest.isEqual(sr, secondHash) && sn == 0;
    }
}
