package org.memoryvault.domain.port;

import java.time.Instant;
import org.memoryvault.domain.model.Memory;

/** Asks a human to approve a recall (levels with {@code humanApproval}). Fail-closed: no human, no approval. */
public interface ApprovalGate {
    Decision decide(Request request);

    record Request(Memory memory, String requester, String justification, java.util.Optional<String> approvalId,
                   Instant at) {}

    sealed interface Decision permits Approved, Denied, Pending {}

    /**
     * Approved by {@code by}. A terminal gate passes on the owner's secret typed there (the recall
     * opens the memory with it; the recall closes it); a queue passes on the content key the owner
     * released to the requesting principal.
     */
    record Approved(String by, java.util.Optional<org.memoryvault.domain.model.SlotSecret> ownerSecret,
                    java.util.Optional<byte[]> release) implements Decision {
        public Approved {
            java.util.Objects.requireNonNull(by, "by");
            java.util.Objects.requireNonNull(ownerSecret, "ownerSecret");
            java.util.Objects.requireNonNull(release, "release");
        }

        public Approved(String by) { this(by, java.util.Optional.empty(), java.util.Optional.empty()); }
    }

    record Denied(String reason) implements Decision {}

    record Pending(String approvalId, Instant expiresAt) implements Decision {}
}
