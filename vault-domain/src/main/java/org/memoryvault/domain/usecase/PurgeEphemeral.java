package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Deletes level-0 memories older than the given age (default: the ephemeral TTL); one audit event per
 * memory. Refused during lockdown (the vault is frozen), checked again inside the transaction.
 */
public final class PurgeEphemeral {
    public record Request(Duration maxAge) {
        public Request {
            Objects.requireNonNull(maxAge, "maxAge");
        }
    }

    private final MemoryRepository memories;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public PurgeEphemeral(MemoryRepository memories, VaultStateRepository state, AuditLog audit, Transactions tx, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public List<MemoryId> execute(Request request) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(request.maxAge());
        refuseInLockdown();
        return tx.inTransaction(() -> {
            refuseInLockdown();
            List<MemoryId> purged = memories.purgeEphemeral(cutoff);
            for (MemoryId id : purged) {
                audit.append(AuditEvent.of(AuditEvent.PURGE, now).with("memory_id", id.toString())
                        .with("max_age_seconds", request.maxAge().getSeconds()));
            }
            return purged;
        });
    }

    private void refuseInLockdown() {
        if (state.lockdown().active()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown; purging ephemeral memories is refused");
        }
    }
}
