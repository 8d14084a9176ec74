package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memoryvault.domain.testing.MemoryTestData.aMemory;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.port.Transactions;

/**
 * The contract of {@link Transactions} together with the repositories that join it: work commits
 * as a whole or not at all, nested calls join the outer transaction, and the work's own exception
 * reaches the caller unchanged (use cases rely on their {@code VaultException} codes surviving).
 */
public abstract class TransactionsContract {
    private static final Instant T0 = MemoryTestData.DEFAULT_CREATED_AT;

    protected StorageFixture fixture;
    protected Transactions tx;

    protected abstract StorageFixture newFixture();

    @BeforeEach
    void setUpStore() {
        fixture = newFixture();
        tx = fixture.tx();
        fixture.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
    }

    @AfterEach
    void closeStore() throws Exception { fixture.close(); }

    private static AccessRefusedException boom() { return new AccessRefusedException(ErrorCode.ACCESS_COOLDOWN, "boom"); }

    @Test
    void inTransaction_returnsTheResult_andCommitsEveryWrite() {
        Memory m = aMemory().build();

        String result = tx.inTransaction(() -> {
            fixture.memories().insert(m);
            fixture.state().setLockdown(LockdownState.entered(T0, "drill", "owner"));
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(fixture.memories().find(m.id())).isPresent();
        assertThat(fixture.state().lockdown().active()).isTrue();
    }

    @Test
    void inTransaction_seesItsOwnWrites() {
        Memory m = aMemory().build();

        boolean seen = tx.inTransaction(() -> {
            fixture.memories().insert(m);
            return fixture.memories().find(m.id()).isPresent();
        });

        assertThat(seen).isTrue();
    }

    @Test
    void failingWork_leavesNothing_andRethrowsTheSameException() {
        Memory existing = aMemory().build();
        fixture.memories().insert(existing);
        Memory m = aMemory().build();
        AccessRefusedException failure = boom();

        assertThatThrownBy(() -> tx.run(() -> {
            fixture.memories().insert(m);
            fixture.memories().recordRecall(existing.id(), T0.plusSeconds(1), "agent", "why");
            fixture.memories().tombstone(existing.id(), new Tombstone(T0.plusSeconds(2), "x", "owner", true));
            fixture.profiles().create(ProfileTestData.aProfile().withId("fresh").build());
            fixture.profiles().addSlot(MemoryTestData.DEFAULT_PROFILE, ProfileTestData.aKeyFileSlot(1, 0));
            fixture.state().setLockdown(LockdownState.entered(T0, "drill", "owner"));
            throw failure;
        })).isSameAs(failure);

        assertThat(fixture.memories().find(m.id())).isEmpty();
        Memory after = fixture.memories().find(existing.id()).orElseThrow();
        DomainAssertions.assertSameMemory(after, existing);
        assertThat(fixture.memories().count()).isEqualTo(1);
        assertThat(fixture.profiles().find(ProfileId.of("fresh"))).isEmpty();
        assertThat(fixture.profiles().find(MemoryTestData.DEFAULT_PROFILE).orElseThrow().slots()).hasSize(1);
        assertThat(fixture.state().lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void nestedCall_joinsTheOuterTransaction_soAnOuterFailureUndoesTheInnerWork() {
        Memory inner = aMemory().build();

        assertThatThrownBy(() -> tx.run(() -> {
            tx.run(() -> fixture.memories().insert(inner));
            assertThat(fixture.memories().find(inner.id())).isPresent();
            throw boom();
        })).isInstanceOf(AccessRefusedException.class);

        assertThat(fixture.memories().find(inner.id())).isEmpty();
    }

    @Test
    void innerFailure_propagatingOut_undoesTheWholeTransaction() {
        Memory outer = aMemory().build();
        Memory inner = aMemory().build();
        AccessRefusedException failure = boom();

        assertThatThrownBy(() -> tx.run(() -> {
            fixture.memories().insert(outer);
            tx.inTransaction(() -> {
                fixture.memories().insert(inner);
                throw failure;
            });
        })).isSameAs(failure);

        assertThat(fixture.memories().count()).isZero();
    }

    @Test
    void afterARollback_theNextTransactionCommits() {
        assertThatThrownBy(() -> tx.run(() -> {
            fixture.memories().insert(aMemory().build());
            throw boom();
        })).isInstanceOf(AccessRefusedException.class);
        Memory m = aMemory().build();

        tx.run(() -> fixture.memories().insert(m));

        assertThat(fixture.memories().find(m.id())).isPresent();
        assertThat(fixture.memories().count()).isEqualTo(1);
    }

    @Test
    void createProfileAndFirstMemory_commitTogether() {
        Profile p = ProfileTestData.aProfile().withId("together").build();
        Memory m = aMemory().withProfile(p.id()).build();

        tx.run(() -> {
            fixture.profiles().create(p);
            fixture.memories().insert(m);
        });

        assertThat(fixture.profiles().find(p.id())).isPresent();
        assertThat(fixture.memories().find(m.id())).isPresent();
    }
}
