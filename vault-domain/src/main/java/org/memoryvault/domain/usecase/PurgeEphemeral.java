package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Transactions;

/** Deletes level-0 memories older than the given age (default: the ephemeral TTL); one audit event per memory. */
public final class PurgeEphemeral {
    public record Request(Duration maxAge) {
        public Request {
            Objects.requireNonNull(maxAge, "maxAge");
        }
    }

    private final MemoryRepository memories;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public PurgeEphemeral(MemoryRepository memories, AuditLog audit, Transactions tx, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public List<MemoryId> execute(Request request) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(request.maxAge());
        return tx.inTransaction(() -> {
            List<MemoryId> purged = memories.purgeEphemeral(cutoff);
            for (MemoryId id : purged) {
                audit.append(AuditEvent.of(AuditEvent.PURGE, now).with("memory_id", id.toString())
                        .with("max_age_seconds", request.maxAge().getSeconds()));
            }
            return purged;
        });
    }
}
