package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.RefusalHistory;
import org.memoryvault.domain.port.Transactions;

/**
 * The contract of {@link RefusalHistory}, the anomaly rule's input: refused recalls and wrong
 * secrets recorded in the audit log at or after a time, by one requester or in total; nothing else
 * counts.
 */
public abstract class RefusalHistoryContract {
    /** A fresh, empty audit log, the history over it, the transactions the log joins, and what releases the store. */
    protected record Subject(AuditLog log, RefusalHistory history, Transactions tx, AutoCloseable onClose) {
        public Subject {
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(history, "history");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(onClose, "onClose");
        }
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract Subject newHistory();

    private Subject s;

    @BeforeEach
    void open() { s = newHistory(); }

    @AfterEach
    void close() throws Exception { s.onClose().close(); }

    private void record(String type, String requester, int secondsAfterT0) {
        s.tx().run(() -> s.log().append(AuditEvent.of(type, T0.plusSeconds(secondsAfterT0)).with("requester", requester)
                .with("code", "ACCESS_CLEARANCE")));
    }

    @Test
    void refusedRecallsAndWrongSecrets_count_byRequesterAndInTotal() {
        record(AuditEvent.RECALL_REFUSED, "agent-a", 1);
        record(AuditEvent.RECALL_REFUSED, "agent-b", 2);
        record(AuditEvent.SECRET_REFUSED, "secret:default", 3);
        record(AuditEvent.RECALL_REFUSED, "agent-a", 4);
        assertThat(s.history().refusedRecalls(Optional.of("agent-a"), T0)).isEqualTo(2);
        assertThat(s.history().refusedRecalls(Optional.of("secret:default"), T0)).isEqualTo(1);
        assertThat(s.history().refusedRecalls(Optional.empty(), T0)).isEqualTo(4);
        assertThat(s.history().refusedRecalls(Optional.of("nobody"), T0)).isZero();
    }

    @Test
    void onlyRefusalsCount() {
        record(AuditEvent.RECALL_GRANTED, "agent-a", 1);
        record(AuditEvent.STORE, "agent-a", 2);
        record(AuditEvent.LOCKDOWN_EXIT_REFUSED, "agent-a", 3);
        assertThat(s.history().refusedRecalls(Optional.empty(), T0)).isZero();
    }

    @Test
    void since_isInclusive_andEarlierRefusalsDoNotCount() {
        record(AuditEvent.RECALL_REFUSED, "agent-a", 10);
        record(AuditEvent.RECALL_REFUSED, "agent-a", 20);
        record(AuditEvent.RECALL_REFUSED, "agent-a", 30);
        assertThat(s.history().refusedRecalls(Optional.of("agent-a"), T0.plusSeconds(20))).isEqualTo(2);
        assertThat(s.history().refusedRecalls(Optional.of("agent-a"), T0.plusSeconds(31))).isZero();
    }
}
