package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.RateLimit;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Transactions;

/**
 * The contract of {@link PrincipalRepository}: rows round-trip, are found by name and by credential,
 * rotate, go, and rate windows count. Run against the fake the use-case tests use and the SQLite
 * adapter, so the fake cannot drift.
 */
public abstract class PrincipalRepositoryContract {
    /** A fresh, empty store: principals, the profiles they belong to, and the transactions they join. */
    protected record Subject(PrincipalRepository principals, ProfileRepository profiles, Transactions tx, AutoCloseable onClose) {
        public Subject {
            Objects.requireNonNull(principals, "principals");
            Objects.requireNonNull(profiles, "profiles");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(onClose, "onClose");
        }
    }

    private static final ProfileId P = ProfileId.of("default");
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00.123Z");

    protected abstract Subject newStore();

    private Subject s;
    private PrincipalRepository repo;

    @BeforeEach
    void open() {
        s = newStore();
        repo = s.principals();
        s.profiles().create(ProfileTestData.aProfile().withId(P).build());
    }

    @AfterEach
    void close() throws Exception { s.onClose().close(); }

    private static PrincipalRecord record(String name, char id, Optional<RateLimit> rate) {
        byte[] box = new byte[32];
        byte[] wrapped = new byte[72];
        box[0] = (byte) id;
        wrapped[1] = (byte) id;
        return new PrincipalRecord(name, P, Classification.WORKING, 1, String.valueOf(id).repeat(64), box, wrapped, new byte[32],
                rate, AT);
    }

    @Test
    void insertThenFind_byNameAndByCredential() {
        PrincipalRecord p = record("planner", 'a', Optional.of(RateLimit.parse("60/m")));
        repo.insert(p);
        assertThat(repo.find("planner")).get().usingRecursiveComparison().isEqualTo(p);
        assertThat(repo.findByCredential("a".repeat(64))).get().usingRecursiveComparison().isEqualTo(p);
        assertThat(repo.findByCredential("b".repeat(64))).isEmpty();
        assertThat(repo.find("nobody")).isEmpty();
        assertThat(repo.list()).extracting(PrincipalRecord::name).containsExactly("planner");
    }

    @Test
    void aSecondPrincipalOfTheSameName_isRefused_andTheFirstStays() {
        repo.insert(record("planner", 'a', Optional.empty()));
        assertThatThrownBy(() -> repo.insert(record("planner", 'b', Optional.empty())))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
        assertThat(repo.findByCredential("a".repeat(64))).isPresent();
        assertThat(repo.findByCredential("b".repeat(64))).isEmpty();
    }

    @Test
    void replace_rotatesTheCredential_theOldOneFindsNothing() {
        repo.insert(record("planner", 'a', Optional.empty()));
        repo.replace(record("planner", 'b', Optional.empty()));
        assertThat(repo.findByCredential("a".repeat(64))).isEmpty();
        assertThat(repo.findByCredential("b".repeat(64))).get().extracting(PrincipalRecord::name).isEqualTo("planner");
        assertThat(repo.list()).hasSize(1);
    }

    @Test
    void remove_reportsWhetherThereWasOne() {
        repo.insert(record("planner", 'a', Optional.empty()));
        assertThat(repo.remove("planner")).isTrue();
        assertThat(repo.remove("planner")).isFalse();
        assertThat(repo.find("planner")).isEmpty();
        assertThat(repo.findByCredential("a".repeat(64))).isEmpty();
    }

    @Test
    void admit_countsWithinAFixedWindow_andOpensANewOneAfterIt() {
        RateLimit twoPerMinute = RateLimit.parse("2/m");
        repo.insert(record("planner", 'a', Optional.of(twoPerMinute)));
        Instant t = Instant.parse("2025-03-01T12:00:00Z");
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t, twoPerMinute))).isTrue();
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.plusSeconds(10), twoPerMinute))).isTrue();
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.plusSeconds(20), twoPerMinute))).isFalse();
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.plus(Duration.ofMinutes(1)), twoPerMinute))).isTrue();
    }

    @Test
    void aLateAdmission_dated_beforeTheCurrentWindow_countsInIt_andDoesNotOpenAFreshOne() {
        RateLimit twoPerMinute = RateLimit.parse("2/m");
        repo.insert(record("planner", 'a', Optional.of(twoPerMinute)));
        Instant t = Instant.parse("2025-03-01T12:00:00Z");
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t, twoPerMinute))).isTrue();
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.plusSeconds(1), twoPerMinute))).isTrue();
        // a request timed before the window began (a clock step back, or a caller queued late) gets no new allowance
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.minusSeconds(5), twoPerMinute))).isFalse();
    }

    @Test
    void anAdmissionInARolledBackTransaction_doesNotCount() {
        RateLimit onePerMinute = RateLimit.parse("1/m");
        repo.insert(record("planner", 'a', Optional.of(onePerMinute)));
        Instant t = Instant.parse("2025-03-01T12:00:00Z");
        assertThatThrownBy(() -> s.tx().run(() -> {
            repo.admit("planner", t, onePerMinute);
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the request failed");
        })).isInstanceOf(VaultException.class);
        assertThat(s.tx().inTransaction(() -> repo.admit("planner", t.plusSeconds(1), onePerMinute))).isTrue();
    }
}
