package org.memoryvault.domain.port;

import java.time.Instant;
import org.memoryvault.domain.model.Memory;

/** Asks a human to approve a recall (levels with {@code humanApproval}). Fail-closed: no human, no approval. */
public interface ApprovalGate {
    Decision decide(Request request);

    /**
     * Spends an approval this gate gave ({@link Approved#approvalId}), inside the transaction that
     * grants the recall: an approval is used up only by a recall that every later gate (cooldown,
     * presence, decryption) let through. False if it can no longer be spent (used meanwhile,
     * expired). A gate whose approvals are not stored (the owner at a terminal) has nothing to spend;
     * one that cannot spend a stored approval refuses it (fail-closed).
     */
    default boolean spend(Approved approved) { return approved.approvalId().isEmpty(); }

    record Request(Memory memory, String requester, String justification, java.util.Optional<String> approvalId,
                   Instant at) {}

    sealed interface Decision permits Approved, Denied, Pending {}

    /**
     * Approved by {@code by}. A terminal gate passes on the owner's secret typed there (the recall
     * opens the memory with it; the recall closes it); a queue passes on the content key the owner
     * released to the requesting principal.
     */
    record Approved(String by, java.util.Optional<org.memoryvault.domain.model.SlotSecret> ownerSecret,
                    java.util.Optional<byte[]> release, java.util.Optional<String> approvalId) implements Decision {
        public Approved {
            java.util.Objects.requireNonNull(by, "by");
            java.util.Objects.requireNonNull(ownerSecret, "ownerSecret");
            java.util.Objects.requireNonNull(release, "release");
            java.util.Objects.requireNonNull(approvalId, "approvalId");
        }

        /** Approved now, with nothing stored to spend (the owner, or a terminal). */
        public Approved(String by, java.util.Optional<org.memoryvault.domain.model.SlotSecret> ownerSecret,
                        java.util.Optional<byte[]> release) {
            this(by, ownerSecret, release, java.util.Optional.empty());
        }

        public Approved(String by) { this(by, java.util.Optional.empty(), java.util.Optional.empty()); }
    }

    record Denied(String reason) implements Decision {}

    record Pending(String approvalId, Instant expiresAt) implements Decision {}
}
