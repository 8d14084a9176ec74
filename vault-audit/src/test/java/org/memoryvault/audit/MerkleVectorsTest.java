package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.StoredTree;

/** Published transparency-dev vectors: hasher, roots, inclusion and consistency proofs, edge cases. */
class MerkleVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void hasher_matchesRfc6962HasherVectors() {
        for (JsonNode v : Vectors.ROOT.get("hash_vectors")) {
            byte[] expected = Vectors.hex(v.get("hash"));
            switch (v.get("kind").asText()) {
                case "empty_root" -> assertThat(MerkleHashes.emptyRoot()).isEqualTo(expected);
                case "leaf" -> assertThat(MerkleHashes.leafHash(Vectors.hex(v.get("input_hex")))).isEqualTo(expected);
                case "node" -> assertThat(MerkleHashes.nodeHash(Vectors.hex(v.get("left_hex")), Vectors.hex(v.get("right_hex"))))
                        .isEqualTo(expected);
                default -> throw new AssertionError("unknown vector kind " + v.get("kind"));
            }
        }
    }

    @Test
    void roots_ofEveryPrefix_matchPublishedRoots() {
        List<byte[]> leaves = Vectors.leaves();
        MerkleProperties.Tree tree = new MerkleProperties.Tree(leaves, 2);
        StoredTree stored = new StoredTree(MerkleProperties.build(tree), 2);
        Vectors.ROOT.get("roots").properties().forEach(e -> {
            int size = Integer.parseInt(e.getKey());
            byte[] expected = HEX.parseHex(e.getValue().asText());
            byte[] actual = size == 0 ? MerkleHashes.emptyRoot() : stored.hash(0, size);
            assertThat(HEX.formatHex(actual)).as("root of size %d", size).isEqualTo(HEX.formatHex(expected));
        });
    }

    @Test
    void inclusionProofs_matchPublishedPaths_andVerify() {
        List<byte[]> leaves = Vectors.leaves();
        StoredTree stored = new StoredTree(MerkleProperties.build(new MerkleProperties.Tree(leaves, 1)), 1);
        for (JsonNode v : Vectors.ROOT.get("inclusion")) {
            int index = v.get("index").asInt();
            int size = v.get("size").asInt();
            List<byte[]> published = Vectors.hexList(v.get("path"));
            List<byte[]> built = ProofBuilder.inclusion(stored, index, size);
            assertThat(built).as("path %d in %d", index, size).containsExactlyElementsOf(published);
            byte[] root = HEX.parseHex(Vectors.ROOT.get("roots").get(Integer.toString(size)).asText());
            assertThat(MerkleProofs.verifyInclusion(MerkleHashes.leafHash(leaves.get(index)), index, size, published, root)).isTrue();
        }
    }

    @Test
    void consistencyProofs_matchPublishedProofs_andVerify() {
        List<byte[]> leaves = Vectors.leaves();
        StoredTree stored = new StoredTree(MerkleProperties.build(new MerkleProperties.Tree(leaves, 3)), 3);
        for (JsonNode v : Vectors.ROOT.get("consistency")) {
            int first = v.get("first").asInt();
            int second = v.get("second").asInt();
            List<byte[]> published = Vectors.hexList(v.get("proof"));
            assertThat(ProofBuilder.consistency(stored, first, second)).as("proof %d -> %d", first, second)
                    .containsExactlyElementsOf(published);
            byte[] r1 = HEX.parseHex(Vectors.ROOT.get("roots").get(Integer.toString(first)).asText());
            byte[] r2 = HEX.parseHex(Vectors.ROOT.get("roots").get(Integer.toString(second)).asText());
            assertThat(MerkleProofs.verifyConsistency(first, second, published, r1, r2)).isTrue();
        }
    }

    @Test
    void consistencyEdgeCases_areJudgedAsPublished() {
        for (JsonNode v : Vectors.ROOT.get("consistency_edge_cases")) {
            boolean actual = MerkleProofs.verifyConsistency(v.get("first").asLong(), v.get("second").asLong(),
                    Vectors.hexList(v.get("proof")), Vectors.bytes(v, "root1"), Vectors.bytes(v, "root2"));
            assertThat(actual).as(v.get("desc").asText()).isEqualTo(v.get("valid").asBoolean());
        }
    }
}
