package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memoryvault.audit.internal.CompactRange;
import org.memoryvault.audit.internal.Heads;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.StoredTree;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.port.AuditStore;

class MerkleProperties {
    private static final HexFormat HEX = HexFormat.of();

    /** Random distinct leaves (a random body plus the leaf's index) and the tile height the store keeps. */
    record Tree(List<byte[]> leaves, int tileHeight) {}

    @Provide
    Arbitrary<Tree> trees() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
        Arbitrary<List<byte[]>> leaves = body.list().ofMinSize(1).ofMaxSize(70);
        return Combinators.combine(leaves, Arbitraries.of(1, 2, 3, 8)).as((l, t) -> {
            List<byte[]> distinct = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) distinct.add(ByteBuffer.allocate(l.get(i).length + 4).put(l.get(i)).putInt(i).array());
            return new Tree(distinct, t);
        });
    }

    /** Appends the leaves the way MerkleAuditLog does: compact range plus tile hashes, into a store. */
    static InMemoryAuditStore build(Tree tree) {
        InMemoryAuditStore store = new InMemoryAuditStore();
        TreeHasher h = new TreeHasher();
        CompactRange range = CompactRange.empty();
        for (byte[] d : tree.leaves()) {
            long index = range.size();
            byte[] leaf = h.leaf(d);
            List<AuditStore.Node> nodes = new ArrayList<>();
            range.append(leaf, h, (height, i, hash) -> {
                if (height % tree.tileHeight() == 0) nodes.add(new AuditStore.Node(height, i, HEX.formatHex(hash)));
            });
            store.append(new AuditStore.Entry(index, "leaf", HEX.formatHex(leaf), "t", Instant.EPOCH, Optional.empty(), Optional.empty()),
                    Heads.toHead(range), nodes);
        }
        return store;
    }

    @Property(tries = 150)
    void root_equalsNaiveRecursiveMth_atEverySize(@ForAll("trees") Tree tree) {
        TreeHasher h = new TreeHasher();
        CompactRange range = CompactRange.empty();
        for (int n = 1; n <= tree.leaves().size(); n++) {
            range.append(h.leaf(tree.leaves().get(n - 1)), h, (height, i, hash) -> {});
            assertThat(range.root(h)).isEqualTo(Rfc9162Reference.mth(tree.leaves().subList(0, n)));
        }
        StoredTree stored = new StoredTree(build(tree), tree.tileHeight());
        int n = tree.leaves().size();
        assertThat(stored.hash(0, n)).isEqualTo(Rfc9162Reference.mth(tree.leaves()));
        assertThat(CompactRange.empty().root(h)).isEqualTo(Rfc9162Reference.mth(List.of()));
    }

    @Property(tries = 60)
    void everyInclusionProof_equalsRfcPath_andVerifies(@ForAll("trees") Tree tree) {
        StoredTree stored = new StoredTree(build(tree), tree.tileHeight());
        for (int n = 1; n <= tree.leaves().size(); n++) {
            List<byte[]> d = tree.leaves().subList(0, n);
            byte[] root = Rfc9162Reference.mth(d);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = ProofBuilder.inclusion(stored, m, n);
                assertThat(proof).containsExactlyElementsOf(Rfc9162Reference.path(m, d));
                byte[] leaf = Rfc9162Reference.leaf(d.get(m));
                assertThat(Rfc9162Reference.verifyInclusion(m, n, leaf, proof, root)).isTrue();
                assertThat(MerkleProofs.verifyInclusion(leaf, m, n, proof, root)).isTrue();
            }
        }
    }

    @Property(tries = 60)
    void everyConsistencyProof_equalsRfcProof_andVerifies(@ForAll("trees") Tree tree) {
        StoredTree stored = new StoredTree(build(tree), tree.tileHeight());
        int len = tree.leaves().size();
        for (int n = 0; n <= len; n++) {
            List<byte[]> d = tree.leaves().subList(0, n);
            byte[] root2 = Rfc9162Reference.mth(d);
            for (int m = 0; m <= n; m++) {
                byte[] root1 = Rfc9162Reference.mth(tree.leaves().subList(0, m));
                List<byte[]> proof = ProofBuilder.consistency(stored, m, n);
                assertThat(proof).containsExactlyElementsOf(Rfc9162Reference.proof(m, d));
                assertThat(Rfc9162Reference.verifyConsistency(m, n, root1, root2, proof)).isTrue();
                assertThat(MerkleProofs.verifyConsistency(m, n, proof, root1, root2)).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void alteredInclusionProof_isRejected(@ForAll("trees") Tree tree, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<byte[]> leaves = tree.leaves();
        int n = 1 + r.nextInt(leaves.size());
        int m = r.nextInt(n);
        List<byte[]> d = leaves.subList(0, n);
        byte[] root = Rfc9162Reference.mth(d);
        byte[] leaf = Rfc9162Reference.leaf(d.get(m));
        List<byte[]> proof = ProofBuilder.inclusion(new StoredTree(build(tree), tree.tileHeight()), m, n);

        if (!proof.isEmpty()) {
            List<byte[]> flipped = copy(proof);
            int at = r.nextInt(flipped.size());
            flipped.get(at)[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
            assertRejectedInclusion(leaf, m, n, flipped, root);

            List<byte[]> dropped = copy(proof);
            dropped.remove(r.nextInt(dropped.size()));
            assertRejectedInclusion(leaf, m, n, dropped, root);
        }
        List<byte[]> added = copy(proof);
        added.add(r.nextInt(added.size() + 1), Rfc9162Reference.sha256(new byte[] {(byte) r.nextInt()}));
        assertRejectedInclusion(leaf, m, n, added, root);

        if (n > 1) {
            int other = (m + 1 + r.nextInt(n - 1)) % n;
            assertRejectedInclusion(leaf, other, n, proof, root);
        }
        if (n < leaves.size()) {
            int bigger = n + 1 + r.nextInt(leaves.size() - n);
            assertRejectedInclusion(leaf, m, bigger, proof, Rfc9162Reference.mth(leaves.subList(0, bigger)));
        }
        if (n > 1 && m < n - 1) {
            int smaller = m + 1 + r.nextInt(n - 1 - m);
            assertRejectedInclusion(leaf, m, smaller, proof, Rfc9162Reference.mth(leaves.subList(0, smaller)));
        }
        byte[] wrongLeaf = Rfc9162Reference.leaf(new byte[] {42, 42, 42, 42, 42, 42, 42, 42, 42});
        assertRejectedInclusion(wrongLeaf, m, n, proof, root);
    }

    @Property(tries = 300)
    void alteredConsistencyProof_isRejected(@ForAll("trees") Tree tree, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<byte[]> leaves = tree.leaves();
        int n = 1 + r.nextInt(leaves.size());
        int m = 1 + r.nextInt(n);
        byte[] root1 = Rfc9162Reference.mth(leaves.subList(0, m));
        byte[] root2 = Rfc9162Reference.mth(leaves.subList(0, n));
        List<byte[]> proof = ProofBuilder.consistency(new StoredTree(build(tree), tree.tileHeight()), m, n);

        if (!proof.isEmpty()) {
            List<byte[]> flipped = copy(proof);
            flipped.get(r.nextInt(flipped.size()))[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
            assertRejectedConsistency(m, n, flipped, root1, root2);

            List<byte[]> dropped = copy(proof);
            dropped.remove(r.nextInt(dropped.size()));
            assertRejectedConsistency(m, n, dropped, root1, root2);
        }
        List<byte[]> added = copy(proof);
        added.add(r.nextInt(added.size() + 1), Rfc9162Reference.sha256(new byte[] {(byte) r.nextInt()}));
        assertRejectedConsistency(m, n, added, root1, root2);

        if (m < n) {
            // a different first size (with that size's true root) must not reuse this proof
            int otherFirst = 1 + r.nextInt(n - 1);
            if (otherFirst != m) {
                assertRejectedConsistency(otherFirst, n, proof, Rfc9162Reference.mth(leaves.subList(0, otherFirst)), root2);
            }
            assertRejectedConsistency(m, n, proof, root2, root2);
            assertRejectedConsistency(n, m, proof, root2, root1);
        }
        if (n < leaves.size()) {
            int bigger = n + 1 + r.nextInt(leaves.size() - n);
            assertRejectedConsistency(m, bigger, proof, root1, Rfc9162Reference.mth(leaves.subList(0, bigger)));
        }
    }

    private static void assertRejectedInclusion(byte[] leaf, long m, long n, List<byte[]> proof, byte[] root) {
        assertThat(MerkleProofs.verifyInclusion(leaf, m, n, proof, root)).as("production verifier, index %d size %d", m, n).isFalse();
        assertThat(Rfc9162Reference.verifyInclusion(m, n, leaf, proof, root)).as("reference verifier, index %d size %d", m, n).isFalse();
    }

    private static void assertRejectedConsistency(long m, long n, List<byte[]> proof, byte[] root1, byte[] root2) {
        assertThat(MerkleProofs.verifyConsistency(m, n, proof, root1, root2)).as("production verifier, %d -> %d", m, n).isFalse();
        assertThat(Rfc9162Reference.verifyConsistency(m, n, root1, root2, proof)).as("reference verifier, %d -> %d", m, n).isFalse();
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : proof) out.add(p.clone());
        return out;
    }
}
