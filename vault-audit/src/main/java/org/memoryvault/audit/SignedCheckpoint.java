package org.memoryvault.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A checkpoint the vault signed: the exact signed-note text (what {@code vault audit checkpoint}
 * prints), the tree size and root it commits to, and the key epoch that signed it.
 *
 * <p>Security: instances returned by {@link MerkleAuditLog#checkpointIfGrown()} were just signed
 * and checked; ones returned by {@link MerkleAuditLog#latestCheckpoint()} are read back from the
 * store and are only as good as a later {@link AuditVerifier#verify()}.
 */
public record SignedCheckpoint(long treeSize, String rootHex, int epoch, String note, Instant createdAt) {
    public SignedCheckpoint {
        Objects.requireNonNull(rootHex, "rootHex");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
