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

    /** The most recent approvals, newest first; only pending ones when {@code pendingOnly}. */
    List<Approval> recent(boolean pendingOnly, int limit);
}
