package org.memoryvault.domain.usecase;

import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.port.ApprovalRepository;

/** Lists approval requests, newest first (pending ones only unless asked). */
public final class ListApprovals {
    private final ApprovalRepository approvals;

    public ListApprovals(ApprovalRepository approvals) { this.approvals = Objects.requireNonNull(approvals, "approvals"); }

    public List<Approval> execute(boolean pendingOnly, int limit) { return approvals.recent(pendingOnly, limit); }
}
