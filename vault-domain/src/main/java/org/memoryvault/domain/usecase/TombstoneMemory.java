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
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Transactions;

/**
 * Tombstones a memory, permanently: it is never decrypted again. With {@code shred} its
 * ciphertext is destroyed too (its commitment and audit history stay). Either way the memory is
 * lost for good, so it needs the owner's secret now (the owner profile's passphrase once it has
 * one, as for leaving lockdown; {@link ProfileKeys#proveSecret}). Refused during lockdown (the vault is frozen).
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
    private final ProfileKeys keys;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public TombstoneMemory(MemoryRepository memories, ProfileKeys keys, AuditLog audit, Transactions tx, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public long execute(Request request) {
        keys.refuseInLockdown("tombstoning");
        try (DataKey owner = keys.proveSecret(keys.ownerProfile(), false)) {
            return tombstone(request, owner);
        }
    }

    private long tombstone(Request request, DataKey owner) {
        Instant now = clock.instant();
        return tx.inTransaction(() -> {
            keys.beginCeremony(owner);
            Memory m = memories.find(request.id()).orElseThrow(() ->
                    new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + request.id()));
            if (m.isTombstoned() && (!request.shred() || m.tombstone().get().shredded())) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + m.id() + " is already tombstoned");
            }
            memories.tombstone(m.id(), new Tombstone(now, request.reason(), request.by(), request.shred()));
            long index = audit.append(AuditEvent.of(AuditEvent.TOMBSTONE, now).with("memory_id", m.id().toString())
                    .with("reason", request.reason()).with("by", request.by()).with("shredded", request.shred()));
            keys.endCeremony(owner);
            return index;
        });
    }
}
