package org.memoryvault.audit;

import java.util.List;

/** An RFC 9162 consistency proof from the tree of {@code first} leaves to the tree of {@code second}; hashes in lower-case hex. */
public record ConsistencyProof(long first, long second, List<String> consistencyPath) {
    public ConsistencyProof {
        consistencyPath = List.copyOf(consistencyPath);
    }

    /** {@code {"first":M,"second":N,"consistency_path":["<hex>",...]}} (CLI contract). */
    public String toJson() {
        return "{\"first\":" + first + ",\"second\":" + second + ",\"consistency_path\":" + JsonArrays.strings(consistencyPath) + "}";
    }
}
