package org.memoryvault.audit;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 inclusion proof: entry {@code index} is a leaf of the tree of {@code treeSize}
 * leaves. Hashes are lower-case hex; the path is leaf side first.
 */
public record InclusionProof(long index, long treeSize, String leafHash, List<String> inclusionPath) {
    public InclusionProof {
        Objects.requireNonNull(leafHash, "leafHash");
        inclusionPath = List.copyOf(inclusionPath);
    }

    /** {@code {"index":I,"tree_size":N,"leaf_hash":"<hex>","inclusion_path":["<hex>",...]}} (CLI contract). */
    public String toJson() {
        return "{\"index\":" + index + ",\"tree_size\":" + treeSize + ",\"leaf_hash\":" + CanonicalJson.quote(leafHash)
                + ",\"inclusion_path\":" + JsonArrays.strings(inclusionPath) + "}";
    }
}
