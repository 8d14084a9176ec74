package org.memoryvault.app.wiring;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.audit.MerkleAuditLog;
import org.memoryvault.domain.port.RefusalHistory;

/** Refused-recall and wrong-secret counts from the audit log's query columns (the anomaly rule's input). */
final class AuditRefusalHistory implements RefusalHistory {
    private final MerkleAuditLog log;

    @Inject
    AuditRefusalHistory(MerkleAuditLog log) { this.log = Objects.requireNonNull(log, "log"); }

    @Override
    public long refusedRecalls(Optional<String> requester, Instant since) {
        return log.refusedRecalls(requester, since) + log.refusedSecrets(requester, since);
    }
}
