package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;

/**
 * The out-of-band approval gate, for agents: a recall without a valid approval files a pending
 * request and answers "pending" with its id; the owner approves or denies it with
 * {@link DecideApproval}; the agent retries with the id. An approval is bound to the memory, the
 * requester and the justification, is used at most once, and expires.
 *
 * <p>Security: nothing here approves anything; only {@link DecideApproval}, which demands the
 * owner's secret, moves a request to approved. Every request, use and expiry is audited.
 */
public final class ApprovalQueue implements ApprovalGate {
    private final ApprovalRepository approvals;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration ttl;

    public ApprovalQueue(ApprovalRepository approvals, AuditLog audit, Transactions tx, Clock clock, RandomGenerator random,
                         Duration ttl) {
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public Decision decide(Request request) {
        Instant now = clock.instant();
        if (request.approvalId().isEmpty()) return file(request, now);
        String id = request.approvalId().get();
        return tx.inTransaction(() -> {
            Optional<Approval> found = approvals.find(id);
            if (found.isEmpty()) return new Denied("no approval " + id);
            Approval a = found.get();
            if (!a.memoryId().equals(request.memory().id()) || !a.requester().equals(request.requester())
                    || !a.justification().equals(request.justification())) {
                return new Denied("approval " + id + " was given for another memory, requester or justification");
            }
            if ((a.status() == Approval.Status.PENDING || a.status() == Approval.Status.APPROVED) && a.isExpired(now)) {
                approvals.update(a.with(Approval.Status.EXPIRED, a.decidedBy(), a.decidedAt(), Optional.of("expired")));
                audit.append(event(AuditEvent.APPROVAL_EXPIRE, a, now));
                return new Denied("approval " + id + " expired at " + a.expiresAt());
            }
            return switch (a.status()) {
                case PENDING -> new Pending(a.id(), a.expiresAt());
                // spent by spend(), in the recall's grant transaction, once every later gate has passed
                case APPROVED -> new Approved(a.decidedBy().orElse("owner"), Optional.empty(), a.release(), Optional.of(a.id()));
                case DENIED -> new Denied("approval " + id + " was denied" + a.reason().map(r -> ": " + r).orElse(""));
                case USED -> new Denied("approval " + id + " was already used");
                case EXPIRED -> new Denied("approval " + id + " expired at " + a.expiresAt());
            };
        });
    }

    @Override
    public boolean spend(Approved approved) {
        if (approved.approvalId().isEmpty()) return true;
        String id = approved.approvalId().get();
        return tx.inTransaction(() -> {
            Optional<Approval> found = approvals.find(id);
            Instant at = clock.instant();        // now, not when the recall began: the approval must be alive at its grant
            if (found.isEmpty() || found.get().status() != Approval.Status.APPROVED || found.get().isExpired(at)) return false;
            Approval a = found.get();
            approvals.update(a.with(Approval.Status.USED, a.decidedBy(), a.decidedAt(), a.reason()));
            audit.append(event(AuditEvent.APPROVAL_USE, a, at));
            return true;
        });
    }

    private Decision file(Request request, Instant now) {
        byte[] idBytes = new byte[16];
        random.nextBytes(idBytes);
        Approval a = new Approval(HexFormat.of().formatHex(idBytes), request.memory().id(), request.requester(),
                request.justification(), now, now.plus(ttl), Approval.Status.PENDING, Optional.empty(), Optional.empty(),
                Optional.empty());
        tx.run(() -> {
            approvals.insert(a);
            audit.append(event(AuditEvent.APPROVAL_REQUEST, a, now).with("expires_at", a.expiresAt().toString()));
        });
        return new Pending(a.id(), a.expiresAt());
    }

    static AuditEvent event(String type, Approval a, Instant now) {
        return AuditEvent.of(type, now).with("approval_id", a.id()).with("memory_id", a.memoryId().toString())
                .with("requester", a.requester()).with("justification", a.justification());
    }
}
