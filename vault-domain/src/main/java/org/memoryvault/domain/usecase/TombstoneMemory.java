package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;

/**
 * Tombstones a memory, permanently: it is never decrypted again. With {@code shred} its
 * ciphertext is destroyed too (its commitment and audit history stay). Either way the content keys
 * that approvals released to principals are erased and open approvals expire. The memory is
 * lost for good, so it needs the owner's secret now (the owner profile's passphrase once it has
 * one, as for leaving lockdown; {@link OwnerProof#prove}). Refused during lockdown (the vault is frozen).
 */
public final class TombstoneMemory {
    public record Request(MemoryId id, String reason, String by, boolean shred) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            if (reason.isBlank()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a tombstone needs a reason");
        }
    }

    private final MemoryRepository memories;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;
    private final ApprovalRepository approvals;

    public TombstoneMemory(MemoryRepository memories, OwnerProof owner, VaultStateRepository state, AuditLog audit, Clock clock,
                           ApprovalRepository approvals) {
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public long execute(Request request) {
        state.lockdown().refuseIfActive("tombstoning");
        try (OwnedKey proven = owner.proveVaultOwner()) {
            return tombstone(request, proven.key());
        }
    }

    private long tombstone(Request request, DataKey proven) {
        Instant now = clock.instant();
        return owner.ceremony(proven, () -> {
            Memory m = memories.find(request.id()).orElseThrow(() ->
                    new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + request.id()));
            if (m.isTombstoned() && (!request.shred() || m.tombstone().get().shredded())) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + m.id() + " is already tombstoned");
            }
            memories.tombstone(m.id(), new Tombstone(now, request.reason(), request.by(), request.shred()));
            // the content keys owner approvals released to principals would open its ciphertext (or any copy of it)
            // with their credentials alone: they go with it
            approvals.withdrawReleases(m.id());
            long index = audit.append(AuditEvent.of(AuditEvent.TOMBSTONE, now).with("memory_id", m.id().toString())
                    .with("reason", request.reason()).with("by", request.by()).with("shredded", request.shred()));
            return index;
        });
    }
}
