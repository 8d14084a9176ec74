package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;

/**
 * The owner approves or denies a pending request. Approving proves the owner's secret now by
 * unwrapping the data key of the owner's profile (the vault's first) from an accepted kind of slot
 * (by default a passphrase slot), so an agent holding only a key file cannot approve its own
 * request, and a secret of another profile approves nothing. Approving is refused in lockdown. Denying needs no secret. The decision is checked
 * and written in one transaction, so two concurrent decisions cannot both succeed.
 */
public final class DecideApproval {
    /** @param acceptedSlots the slot types whose secret counts as the owner's (of the memory's own profile) */
    public record Request(String approvalId, boolean approve, Optional<String> reason, String by, Set<SlotType> acceptedSlots) {
        public Request {
            Objects.requireNonNull(approvalId, "approvalId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            acceptedSlots = Set.copyOf(acceptedSlots);
        }
    }

    private final ApprovalRepository approvals;
    private final ProfileKeys keys;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public DecideApproval(ApprovalRepository approvals, ProfileKeys keys, AuditLog audit, Transactions tx, Clock clock) {
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Approval execute(Request request) {
        Instant now = clock.instant();
        Approval a = approvals.find(request.approvalId()).orElseThrow(() ->
                new NotFoundException(ErrorCode.NOT_FOUND_APPROVAL, "no approval " + request.approvalId()));
        if (a.status() != Approval.Status.PENDING) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "approval " + a.id() + " is " + a.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (a.isExpired(now)) {
            Approval expired = a.with(Approval.Status.EXPIRED, Optional.empty(), Optional.empty(), Optional.of("expired"));
            tx.run(() -> {
                approvals.update(expired);
                audit.append(ApprovalQueue.event(AuditEvent.APPROVAL_EXPIRE, a, now));
            });
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "approval " + a.id() + " expired at " + a.expiresAt());
        }
        if (request.approve()) {
            keys.refuseInLockdown("approving a recall");
            try {
                DataKey proof = keys.unlockFromSecret(keys.profile(keys.ownerProfile()), request.acceptedSlots());
                proof.close();
            } catch (VaultException e) {
                tx.run(() -> audit.append(ApprovalQueue.event(AuditEvent.APPROVAL_APPROVE_REFUSED, a, now)
                        .with("code", e.code().name()).with("by", request.by())));
                throw e;
            }
        }
        Approval decided = a.with(request.approve() ? Approval.Status.APPROVED : Approval.Status.DENIED,
                Optional.of(request.by()), Optional.of(now), request.reason());
        tx.run(() -> {
            Approval current = approvals.find(a.id()).orElseThrow(() ->
                    new NotFoundException(ErrorCode.NOT_FOUND_APPROVAL, "no approval " + a.id()));
            if (current.status() != Approval.Status.PENDING) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "approval " + a.id() + " was decided meanwhile: "
                        + current.status().name().toLowerCase(java.util.Locale.ROOT));
            }
            approvals.update(decided);
            AuditEvent e = ApprovalQueue.event(request.approve() ? AuditEvent.APPROVAL_APPROVE : AuditEvent.APPROVAL_DENY, a, now)
                    .with("by", request.by());
            if (request.reason().isPresent()) e = e.with("reason", request.reason().get());
            audit.append(e);
        });
        return decided;
    }
}
