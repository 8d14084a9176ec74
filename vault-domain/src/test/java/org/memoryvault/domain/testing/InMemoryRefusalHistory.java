package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.RefusalHistory;

/**
 * A {@link RefusalHistory} that counts {@link AuditEvent#RECALL_REFUSED} and {@link AuditEvent#SECRET_REFUSED} events of an
 * {@link InMemoryAuditLog}: those at or after {@code since} and, when a requester is given, whose
 * {@code requester} field equals it. Counts how often it was asked.
 */
public final class InMemoryRefusalHistory implements RefusalHistory {
    private final InMemoryAuditLog audit;
    private int queries;

    public InMemoryRefusalHistory(InMemoryAuditLog audit) { this.audit = Objects.requireNonNull(audit, "audit"); }

    @Override
    public long refusedRecalls(Optional<String> requester, Instant since) {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(since, "since");
        synchronized (this) {
            queries++;
        }
        return java.util.stream.Stream.concat(audit.eventsOfType(AuditEvent.RECALL_REFUSED).stream(),
                        audit.eventsOfType(AuditEvent.SECRET_REFUSED).stream())
                .filter(e -> !e.at().isBefore(since))
                .filter(e -> requester.isEmpty() || requester.get().equals(e.fields().get("requester")))
                .count();
    }

    /** How many times {@link #refusedRecalls} was called. */
    public synchronized int queries() { return queries; }
}
