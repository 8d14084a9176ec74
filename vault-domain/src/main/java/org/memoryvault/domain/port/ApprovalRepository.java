package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.Approval;

/** Out-of-band approval requests and their decisions. Calls inside {@link Transactions} join it. */
public interface ApprovalRepository {
    void insert(Approval approval);

    Optional<Approval> find(String id);

    /**
     * Stores a new state of the approval with the same id: status, decided-by, decided-at and
     * reason. Its memory, requester, justification and times never change.
     */
    void update(Approval approval);

    /**
     * Withdraws what the approvals of memory {@code memory} released (it was tombstoned): every
     * released content key is erased, and pending or approved ones expire with reason
     * {@code "memory tombstoned"}. Returns how many approvals changed.
     */
    int withdrawReleases(org.memoryvault.domain.model.MemoryId memory);

    /** The most recent approvals, newest first; only pending ones when {@code pendingOnly}. */
    List<Approval> recent(boolean pendingOnly, int limit);
}
