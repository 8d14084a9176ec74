package org.memoryvault.domain.port;

import java.time.Instant;
import org.memoryvault.domain.model.Memory;

/** Asks a human to approve a recall (levels with {@code humanApproval}). Fail-closed: no human, no approval. */
public interface ApprovalGate {
    Decision decide(Request request);

    record Request(Memory memory, String requester, String justification, java.util.Optional<String> approvalId,
                   Instant at) {}

    sealed interface Decision permits Approved, Denied, Pending {}

    record Approved(String by) implements Decision {}

    record Denied(String reason) implements Decision {}

    record Pending(String approvalId, Instant expiresAt) implements Decision {}
}
