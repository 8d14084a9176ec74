package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.Transactions;

/**
 * The contract of {@link ApprovalRepository}. Subclass it with a factory for a fresh, empty store.
 * Times are millisecond-exact here: adapters keep at least millisecond precision.
 */
public abstract class ApprovalRepositoryContract {
    /** A fresh store's approval repository and the transactions it joins; {@code onClose} releases it. */
    public record ApprovalStore(ApprovalRepository approvals, Transactions tx, AutoCloseable onClose) implements AutoCloseable {
        public ApprovalStore {
            Objects.requireNonNull(approvals, "approvals");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(onClose, "onClose");
        }

        @Override public void close() throws Exception { onClose.close(); }
    }

    private static final Instant T0 = Instant.parse("2025-04-01T08:00:00.250Z");
    private static final Duration TTL = Duration.ofMinutes(15);

    protected ApprovalStore store;
    protected ApprovalRepository repo;
    private int nextId = 1;

    /** A fresh, empty store. */
    protected abstract ApprovalStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
        repo = store.approvals();
    }

    @AfterEach
    void closeStore() throws Exception { store.close(); }

    private String newId() { return String.format("%032x", 0xa000_0000L + nextId++); }

    private Approval pending(Instant requestedAt) {
        return new Approval(newId(), MemoryTestData.aMemoryId(), "agent-7", "weekly report", requestedAt, requestedAt.plus(TTL),
                Approval.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static List<String> ids(List<Approval> approvals) { return approvals.stream().map(Approval::id).toList(); }

    @Test
    void insert_pending_thenFind_returnsEveryField_withEmptyDecision() {
        MemoryId memory = MemoryTestData.aMemoryId();
        Approval a = new Approval("0123456789abcdef0123456789abcdef", memory, "agent:käthe/ø",
                "needs the \"launch\" codes;\nsecond line ✓", T0, T0.plus(Duration.ofSeconds(901)).plusMillis(7),
                Approval.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty());

        repo.insert(a);

        Approval found = repo.find(a.id()).orElseThrow();
        assertThat(found).isEqualTo(a);
        assertThat(found.memoryId()).isEqualTo(memory);
        assertThat(found.decidedBy()).isEmpty();
        assertThat(found.decidedAt()).isEmpty();
        assertThat(found.reason()).isEmpty();
    }

    @Test
    void insert_decided_thenFind_returnsEveryField_withPresentDecision() {
        Approval a = new Approval(newId(), MemoryTestData.aMemoryId(), "agent-9", "audit", T0, T0.plus(TTL),
                Approval.Status.DENIED, Optional.of("owner ✓"), Optional.of(T0.plusMillis(61_001)), Optional.of("not during the freeze"));

        repo.insert(a);

        assertThat(repo.find(a.id())).contains(a);
    }

    @Test
    void withdrawReleases_erasesTheMemorysReleasedKeys_andExpiresItsOpenApprovals_only() {
        MemoryId memory = MemoryTestData.aMemoryId();
        Approval approved = new Approval(newId(), memory, "agent-7", "why", T0, T0.plus(TTL), Approval.Status.APPROVED,
                Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.empty()).withRelease(new byte[80]);
        Approval used = new Approval(newId(), memory, "agent-7", "why", T0, T0.plus(TTL), Approval.Status.USED,
                Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.of("ok")).withRelease(new byte[80]);
        Approval pending = new Approval(newId(), memory, "agent-8", "why", T0, T0.plus(TTL), Approval.Status.PENDING,
                Optional.empty(), Optional.empty(), Optional.empty());
        Approval denied = new Approval(newId(), memory, "agent-8", "why", T0, T0.plus(TTL), Approval.Status.DENIED,
                Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.of("no"));
        Approval elsewhere = new Approval(newId(), MemoryTestData.aMemoryId(), "agent-7", "why", T0, T0.plus(TTL),
                Approval.Status.APPROVED, Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.empty()).withRelease(new byte[80]);
        for (Approval a : List.of(approved, used, pending, denied, elsewhere)) repo.insert(a);

        assertThat(repo.withdrawReleases(memory)).isEqualTo(3);

        Approval a1 = repo.find(approved.id()).orElseThrow();
        assertThat(a1.release()).isEmpty();
        assertThat(a1.status()).isEqualTo(Approval.Status.EXPIRED);
        assertThat(a1.reason()).contains("memory tombstoned");
        Approval a2 = repo.find(used.id()).orElseThrow();
        assertThat(a2.release()).isEmpty();
        assertThat(a2.status()).isEqualTo(Approval.Status.USED);
        assertThat(repo.find(pending.id()).orElseThrow().status()).isEqualTo(Approval.Status.EXPIRED);
        assertThat(repo.find(denied.id())).contains(denied);
        assertThat(repo.find(elsewhere.id()).orElseThrow().release()).isPresent();
        assertThat(repo.withdrawReleases(memory)).as("nothing left to withdraw").isZero();
    }

    @Test
    void everyStatus_roundTrips() {
        for (Approval.Status s : Approval.Status.values()) {
            Approval a = pending(T0).with(s, Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.of(s.name()));
            repo.insert(a);
            assertThat(repo.find(a.id())).contains(a);
        }
    }

    @Test
    void find_unknownId_isEmpty() {
        repo.insert(pending(T0));

        assertThat(repo.find("ffffffffffffffffffffffffffffffff")).isEmpty();
    }

    @Test
    void insert_duplicateId_failsAndKeepsTheOriginal() {
        Approval original = pending(T0);
        repo.insert(original);
        Approval clash = new Approval(original.id(), MemoryTestData.aMemoryId(), "intruder", "mine now", T0.plusSeconds(5),
                T0.plus(Duration.ofDays(1)), Approval.Status.APPROVED, Optional.of("intruder"), Optional.of(T0), Optional.empty());

        assertThatThrownBy(() -> repo.insert(clash)).isInstanceOf(VaultException.class);
        assertThat(repo.find(original.id())).contains(original);
    }

    @Test
    void update_recordsTheDecision_andEachLaterChange() {
        Approval a = pending(T0);
        repo.insert(a);

        Approval approved = a.with(Approval.Status.APPROVED, Optional.of("owner"), Optional.of(T0.plusSeconds(30)), Optional.of("ok once"));
        repo.update(approved);
        assertThat(repo.find(a.id())).contains(approved);

        Approval used = approved.with(Approval.Status.USED, approved.decidedBy(), approved.decidedAt(), approved.reason());
        repo.update(used);
        assertThat(repo.find(a.id())).contains(used);
    }

    @Test
    void update_withEmptyOptionals_clearsTheStoredDecision() {
        Approval a = pending(T0).with(Approval.Status.APPROVED, Optional.of("owner"), Optional.of(T0.plusSeconds(2)), Optional.of("fine"));
        repo.insert(a);

        Approval expired = a.with(Approval.Status.EXPIRED, Optional.empty(), Optional.empty(), Optional.empty());
        repo.update(expired);

        Approval found = repo.find(a.id()).orElseThrow();
        assertThat(found).isEqualTo(expired);
        assertThat(found.decidedBy()).isEmpty();
        assertThat(found.decidedAt()).isEmpty();
        assertThat(found.reason()).isEmpty();
    }

    @Test
    void update_touchesOnlyThatApproval() {
        Approval a = pending(T0);
        Approval b = pending(T0.plusSeconds(1));
        repo.insert(a);
        repo.insert(b);

        repo.update(a.with(Approval.Status.DENIED, Optional.of("owner"), Optional.of(T0.plusSeconds(3)), Optional.empty()));

        assertThat(repo.find(b.id())).contains(b);
    }

    @Test
    void update_unknownId_isNotFoundApproval_andInsertsNothing() {
        Approval ghost = pending(T0);

        assertThatThrownBy(() -> repo.update(ghost))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_APPROVAL));
        assertThat(repo.find(ghost.id())).isEmpty();
        assertThat(repo.recent(false, 10)).isEmpty();
    }

    @Test
    void recent_onEmptyStore_isEmpty() {
        assertThat(repo.recent(false, 10)).isEmpty();
        assertThat(repo.recent(true, 10)).isEmpty();
    }

    @Test
    void recent_isNewestFirst() {
        Approval old = pending(T0.minus(Duration.ofHours(2)));
        Approval newest = pending(T0);
        Approval middle = pending(T0.minus(Duration.ofMinutes(5)));
        repo.insert(old);
        repo.insert(newest);
        repo.insert(middle);

        assertThat(ids(repo.recent(false, 10))).containsExactly(newest.id(), middle.id(), old.id());
    }

    @Test
    void recent_pendingOnly_filtersOutEveryDecidedState_andAllIncludesThem() {
        Approval p1 = pending(T0.minusSeconds(50));
        Approval p2 = pending(T0.minusSeconds(10));
        repo.insert(p1);
        repo.insert(p2);
        for (Approval.Status s : List.of(Approval.Status.APPROVED, Approval.Status.DENIED, Approval.Status.USED, Approval.Status.EXPIRED)) {
            Approval a = pending(T0.minusSeconds(s.ordinal()));
            repo.insert(a);
            repo.update(a.with(s, Optional.of("owner"), Optional.of(T0), Optional.empty()));
        }

        assertThat(ids(repo.recent(true, 10))).containsExactly(p2.id(), p1.id());
        assertThat(repo.recent(true, 10)).allMatch(a -> a.status() == Approval.Status.PENDING);
        assertThat(repo.recent(false, 10)).hasSize(6);
    }

    @Test
    void recent_afterAnUpdate_dropsAnApprovalThatIsNoLongerPending() {
        Approval a = pending(T0);
        repo.insert(a);
        assertThat(ids(repo.recent(true, 10))).containsExactly(a.id());

        repo.update(a.with(Approval.Status.DENIED, Optional.of("owner"), Optional.of(T0.plusSeconds(1)), Optional.empty()));

        assertThat(repo.recent(true, 10)).isEmpty();
        assertThat(repo.recent(false, 10)).extracting(Approval::status).containsExactly(Approval.Status.DENIED);
    }

    @Test
    void recent_respectsTheLimit_keepingTheNewest() {
        for (int i = 10; i >= 1; i--) repo.insert(pending(T0.minus(Duration.ofMinutes(i))));
        Approval newest = pending(T0);
        repo.insert(newest);

        List<Approval> three = repo.recent(false, 3);

        assertThat(three).hasSize(3);
        assertThat(three.get(0).id()).isEqualTo(newest.id());
        assertThat(three.get(1).requestedAt()).isEqualTo(T0.minus(Duration.ofMinutes(1)));
        assertThat(three.get(2).requestedAt()).isEqualTo(T0.minus(Duration.ofMinutes(2)));
        assertThat(repo.recent(true, 1)).extracting(Approval::id).containsExactly(newest.id());
    }

    @Test
    void recent_sameRequestTime_isOrderedById() {
        Approval b = new Approval("b".repeat(32), MemoryTestData.aMemoryId(), "agent", "j", T0, T0.plus(TTL),
                Approval.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty());
        Approval a = new Approval("a".repeat(32), MemoryTestData.aMemoryId(), "agent", "j", T0, T0.plus(TTL),
                Approval.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty());
        repo.insert(b);
        repo.insert(a);

        assertThat(ids(repo.recent(false, 10))).containsExactly(a.id(), b.id());
    }

    @Test
    void writesInAFailedTransaction_areRolledBack() {
        Approval kept = pending(T0);
        repo.insert(kept);
        Approval lost = pending(T0.plusSeconds(1));

        assertThatThrownBy(() -> store.tx().run(() -> {
            repo.insert(lost);
            repo.update(kept.with(Approval.Status.APPROVED, Optional.of("owner"), Optional.of(T0.plusSeconds(2)), Optional.empty()));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(repo.find(lost.id())).isEmpty();
        assertThat(repo.find(kept.id())).contains(kept);
    }

    @Test
    void readsInsideATransaction_seeItsOwnWrites() {
        Approval a = pending(T0);

        Optional<Approval> seen = store.tx().inTransaction(() -> {
            repo.insert(a);
            return repo.find(a.id());
        });

        assertThat(seen).contains(a);
        assertThat(repo.find(a.id())).contains(a);
    }
}
