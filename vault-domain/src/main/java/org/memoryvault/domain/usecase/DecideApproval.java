package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.model.OwnedKey;

/**
 * The owner approves or denies a pending request. Approving proves the owner's secret now by
 * unwrapping the owner key of the memory's profile (a passphrase slot; in a profile without one,
 * the key file), and releases the memory's content key sealed to the requesting principal's
 * public key (docs/FORMAT.md §11): the principal can then open that memory, and no other. An agent
 * holding only a key file can neither approve nor open a level 3-5 memory. Approving is refused in
 * lockdown. Denying needs no secret. The decision is checked and written in one transaction, so
 * two concurrent decisions cannot both succeed.
 */
public final class DecideApproval {
    public record Request(String approvalId, boolean approve, Optional<String> reason, String by) {
        public Request {
            Objects.requireNonNull(approvalId, "approvalId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
        }
    }

    private final ApprovalRepository approvals;
    private final MemoryRepository memories;
    private final PrincipalRepository principals;
    private final OwnerProof ownerProof;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public DecideApproval(ApprovalRepository approvals, MemoryRepository memories, PrincipalRepository principals,
                          OwnerProof ownerProof, VaultStateRepository state, Sealer sealer, AuditLog audit, Transactions tx,
                          Clock clock) {
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.principals = Objects.requireNonNull(principals, "principals");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
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
        if (!request.approve()) return decide(a, request, now, Optional.empty(), null);   // a denial needs no secret and releases nothing
        state.lockdown().refuseIfActive("approving a recall");
        OwnedKey proven = null;
        try {
            Optional<byte[]> release;
            try {
                Memory memory = memories.find(a.memoryId()).orElseThrow(() ->
                        new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + a.memoryId()));
                proven = ownerProof.prove(memory.profile());
                DataKey owner = proven.key();
                if (!owner.isOwner()) {
                        throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_CLEARANCE,
                                "profile " + memory.profile() + " has no owner key (it was created before key tiers)");
                    }
                    PrincipalRecord principal = principals.find(a.requester()).orElseThrow(() ->
                            new InvalidInputException(ErrorCode.INPUT_STATE, "requester " + a.requester()
                                    + " is not a principal with a credential (any longer); nothing can be released to it"));
                    if (memory.sealed().isEmpty() || memory.isTombstoned()) {
                        throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + memory.id() + " is tombstoned");
                    }
                    // The level and the principal's clearance are checked here and authenticated by the release:
                    // it opens the memory under its associated data (the level is part of it) and checks the
                    // principal row's owner MAC (the clearance is part of it).
                    if (!principal.clearance().covers(memory.classification())) {
                        throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "principal "
                                + principal.name() + " has clearance " + principal.clearance().level() + "; memory " + memory.id()
                                + " is level " + memory.classification().level());
                    }
                    if (memory.classification().requirements().hardwareToken()) {
                        throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_TOKEN, "memory " + memory.id()
                                + " is level 5: its key is never released to an agent (level 5 is recalled by the owner, with a token)");
                    }
                    release = Optional.of(sealer.release(owner, memory.associatedData(), memory.sealed().get(),
                            memory.commitment(), principal));
            } catch (VaultException e) {
                tx.run(() -> audit.append(ApprovalQueue.event(AuditEvent.APPROVAL_APPROVE_REFUSED, a, now)
                        .with("code", e.code().name()).with("by", request.by())));
                throw e;
            }
            return decide(a, request, now, release, proven.key());
        } finally {
            if (proven != null) proven.close();
        }
    }

    private Approval decide(Approval a, Request request, Instant now, Optional<byte[]> release, @org.jspecify.annotations.Nullable DataKey owner) {
        Approval status = a.with(request.approve() ? Approval.Status.APPROVED : Approval.Status.DENIED,
                Optional.of(request.by()), Optional.of(now), request.reason());
        Approval decided = release.map(status::withRelease).orElse(status);
        tx.run(() -> {
            if (owner != null) ownerProof.begin(owner);
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
            if (owner != null) ownerProof.end(owner);
        });
        return decided;
    }
}
