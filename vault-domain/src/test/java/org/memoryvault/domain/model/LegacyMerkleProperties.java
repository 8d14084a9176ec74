package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The Python vault's recall tree (docs/IMPORT.md): the root equals a second implementation written
 * from the reference's words (pairs ordered by the hex strings' numeric value); one leaf is its own
 * root; any leaf changed, added or removed changes the root (leaves distinct: the original pairs an
 * unpaired node with itself, so a last leaf repeated gives the same root, as two adjacent leaves
 * swapped do, since it pairs nodes in sorted order; the import's check inherits both).
 */
class LegacyMerkleProperties {
    @Provide Arbitrary<List<String>> leaves() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(HexFormat.of()::formatHex).list().uniqueElements().ofMinSize(1).ofMaxSize(40);
    }

    @Property
    void theRoot_isTheReferencesRoot(@ForAll("leaves") List<String> leaves) throws Exception {
        assertThat(LegacyMerkle.root(leaves)).contains(reference(leaves));
    }

    @Property
    void anyLeafChangedAddedOrRemoved_changesTheRoot(@ForAll("leaves") List<String> leaves, @ForAll @IntRange(min = 0, max = 39) int at) {
        int i = at % leaves.size();
        String root = LegacyMerkle.root(leaves).orElseThrow();
        List<String> changed = new ArrayList<>(leaves);
        changed.set(i, leaves.get(i).replaceFirst(".", leaves.get(i).charAt(0) == '0' ? "1" : "0"));
        assertThat(LegacyMerkle.root(changed).orElseThrow()).isNotEqualTo(root);
        List<String> longer = new ArrayList<>(leaves);
        longer.add(leaves.get(i));
        if (leaves.size() % 2 == 0 || leaves.size() == 1) assertThat(LegacyMerkle.root(longer).orElseThrow()).isNotEqualTo(root);
        if (leaves.size() > 1) assertThat(LegacyMerkle.root(leaves.subList(0, leaves.size() - 1)).orElseThrow()).isNotEqualTo(root);
    }

    @Example
    void oneLeaf_isItsOwnRoot_noLeavesNoRoot() {
        String leaf = LegacyMerkle.leafHash("r", "m", "agent", "2026-11-28T19:17:19.660673+00:00", true, "");
        assertThat(LegacyMerkle.root(List.of(leaf))).contains(leaf);
        assertThat(LegacyMerkle.root(List.of())).isEmpty();
        assertThat(leaf).matches("[0-9a-f]{64}");
    }

    private static String reference(List<String> leaves) throws Exception {
        List<String> level = leaves;
        while (level.size() > 1) {
            List<String> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                String a = level.get(i);
                String b = i + 1 < level.size() ? level.get(i + 1) : a;
                String joined = new BigInteger(a, 16).compareTo(new BigInteger(b, 16)) <= 0 ? a + b : b + a;
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                up.add(HexFormat.of().formatHex(d.digest(d.digest(joined.getBytes(StandardCharsets.US_ASCII)))));
            }
            level = up;
        }
        return level.get(0);
    }
}
