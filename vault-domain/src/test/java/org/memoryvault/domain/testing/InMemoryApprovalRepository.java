package org.memoryvault.domain.testing;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.port.ApprovalRepository;

/**
 * An {@link ApprovalRepository} in a map. {@link #recent} orders by request time, newest first,
 * ties by id (as the SQLite adapter does). A duplicate id is {@code INTERNAL_STORAGE}; updating an
 * unknown id is {@code NOT_FOUND_APPROVAL}. Takes part in {@link InMemoryTransactions}.
 */
public final class InMemoryApprovalRepository implements ApprovalRepository, InMemoryTransactions.Participant {
    private static final Comparator<Approval> NEWEST_FIRST =
            Comparator.comparing(Approval::requestedAt).reversed().thenComparing(Approval::id);

    private final Map<String, Approval> approvals = new LinkedHashMap<>();

    @Override
    public synchronized void insert(Approval approval) {
        Objects.requireNonNull(approval, "approval");
        if (approvals.containsKey(approval.id())) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "an approval with id " + approval.id() + " exists", null);
        }
        approvals.put(approval.id(), approval);
    }

    @Override
    public synchronized Optional<Approval> find(String id) { return Optional.ofNullable(approvals.get(id)); }

    @Override
    public synchronized void update(Approval approval) {
        Objects.requireNonNull(approval, "approval");
        if (!approvals.containsKey(approval.id())) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_APPROVAL, "no approval " + approval.id());
        }
        approvals.put(approval.id(), approval);
    }

    @Override
    public synchronized int withdrawReleases(org.memoryvault.domain.model.MemoryId memory) {
        int changed = 0;
        for (Map.Entry<String, Approval> e : approvals.entrySet()) {
            Approval a = e.getValue();
            boolean open = a.status() == Approval.Status.PENDING || a.status() == Approval.Status.APPROVED;
            if (!a.memoryId().equals(memory) || (a.release().isEmpty() && !open)) continue;
            Approval withdrawn = a.withoutRelease();
            if (open) withdrawn = withdrawn.with(Approval.Status.EXPIRED, a.decidedBy(), a.decidedAt(), Optional.of("memory tombstoned"));
            e.setValue(withdrawn);
            changed++;
        }
        return changed;
    }

    @Override
    public synchronized List<Approval> recent(boolean pendingOnly, int limit) {
        return approvals.values().stream()
                .filter(a -> !pendingOnly || a.status() == Approval.Status.PENDING)
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    /** How many approvals are stored, in any state. */
    public synchronized int size() { return approvals.size(); }

    @Override
    public synchronized Runnable snapshot() {
        Map<String, Approval> saved = new LinkedHashMap<>(approvals);
        return () -> {
            synchronized (this) {
                approvals.clear();
                approvals.putAll(saved);
            }
        };
    }
}
