package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;

/**
 * The contract of {@link AuditLog}, which every owner seal and every use case's audit entry rests
 * on. Run against the fake the use-case tests use and against the real Merkle log, so the fake
 * cannot drift.
 */
public abstract class AuditLogContract {
    /** A fresh, empty log, the transactions it joins, and what releases its store. */
    protected record Subject(AuditLog log, Transactions tx, AutoCloseable onClose) {
        public Subject {
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(onClose, "onClose");
        }
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract Subject newLog();

    private Subject subject;
    private AuditLog log;

    @BeforeEach
    void open() {
        subject = newLog();
        log = subject.log();
    }

    @AfterEach
    void close() throws Exception { subject.onClose().close(); }

    private AuditEvent event(String type, int i) {
        return AuditEvent.of(type, T0.plusSeconds(i)).with("requester", "agent-" + (i % 2)).with("n", i);
    }

    private long append(String type, int i) { return subject.tx().inTransaction(() -> log.append(event(type, i))); }

    @Test
    void append_givesConsecutiveIndexesFromZero_andTheHeadGrows() {
        assertThat(log.head().size()).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(append(AuditEvent.RECALL_GRANTED, i)).isEqualTo(i);
            assertThat(log.head().size()).isEqualTo(i + 1);
        }
    }

    @Test
    void appendAll_keepsTheOrder_andIndexesFollowOn() {
        append(AuditEvent.STORE, 0);
        List<Long> indexes = subject.tx().inTransaction(() -> log.appendAll(List.of(event(AuditEvent.STORE, 1),
                event(AuditEvent.RECALL_GRANTED, 2), event(AuditEvent.STORE, 3))));
        assertThat(indexes).containsExactly(1L, 2L, 3L);
        assertThat(log.head().size()).isEqualTo(4);
    }

    @Test
    void anEarlierHead_isAPrefix_andAWrongRootOrAFutureSizeIsNot() {
        append(AuditEvent.STORE, 0);
        append(AuditEvent.STORE, 1);
        AuditLog.Head earlier = subject.tx().inTransaction(log::head);
        for (int i = 2; i < 7; i++) append(AuditEvent.RECALL_GRANTED, i);
        AuditLog.Head now = subject.tx().inTransaction(log::head);

        assertThat(earlier.rootHex()).hasSize(64).isNotEqualTo(now.rootHex());
        assertThat(log.hasPrefix(earlier.size(), earlier.rootHex())).isTrue();
        assertThat(log.hasPrefix(now.size(), now.rootHex())).isTrue();
        String wrong = (earlier.rootHex().charAt(0) == '0' ? "1" : "0") + earlier.rootHex().substring(1);
        assertThat(log.hasPrefix(earlier.size(), wrong)).isFalse();
        assertThat(log.hasPrefix(now.size() + 1, now.rootHex())).isFalse();
    }

    @Test
    void countOfType_countsEntriesOfThatTypeOnly() {
        append(AuditEvent.STORE, 0);
        append(AuditEvent.OWNER_SEAL, 1);
        append(AuditEvent.STORE, 2);
        append(AuditEvent.OWNER_SEAL, 3);
        append(AuditEvent.OWNER_SEAL, 4);
        assertThat(log.countOfType(AuditEvent.OWNER_SEAL)).isEqualTo(3);
        assertThat(log.countOfType(AuditEvent.STORE)).isEqualTo(2);
        assertThat(log.countOfType(AuditEvent.TOMBSTONE)).isZero();
    }

    @Test
    void anAppendInARolledBackTransaction_leavesNoEntry() {
        append(AuditEvent.STORE, 0);
        assertThatThrownBy(() -> subject.tx().run(() -> {
            log.append(event(AuditEvent.STORE, 1));
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the change failed");
        })).isInstanceOf(InvalidInputException.class);
        assertThat(log.head().size()).isEqualTo(1);
        assertThat(append(AuditEvent.STORE, 2)).as("the index is not used up by the rolled-back entry").isEqualTo(1);
    }
}
