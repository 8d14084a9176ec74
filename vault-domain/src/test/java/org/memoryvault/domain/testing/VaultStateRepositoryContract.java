package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.port.VaultStateRepository;

/** The contract of {@link VaultStateRepository}. Subclass it with a factory for a fresh, empty store. */
public abstract class VaultStateRepositoryContract {
    protected StorageFixture fixture;
    protected VaultStateRepository repo;

    protected abstract StorageFixture newFixture();

    @BeforeEach
    void setUpStore() {
        fixture = newFixture();
        repo = fixture.state();
    }

    @AfterEach
    void closeStore() throws Exception { fixture.close(); }

    @Test
    void vaultId_isSetOnce_andNeverChanged() {
        assertThat(repo.vaultId()).isEmpty();
        repo.setVaultId("3f0c2a");
        assertThat(repo.vaultId()).contains("3f0c2a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> repo.setVaultId("other"))
                .isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
        assertThat(repo.vaultId()).contains("3f0c2a");
    }

    @Test
    void freshStore_isNotInLockdown() {
        assertThat(repo.lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void setLockdown_roundTripsSinceReasonAndBy() {
        LockdownState entered = LockdownState.entered(Instant.parse("2025-03-01T10:15:30.250Z"), "anomaly: 5 refusals in 60s", "detector");

        repo.setLockdown(entered);

        assertThat(repo.lockdown()).isEqualTo(entered);
    }

    @Test
    void setLockdown_open_clearsEveryField() {
        repo.setLockdown(LockdownState.entered(Instant.parse("2025-03-01T10:15:30Z"), "drill", "owner"));

        repo.setLockdown(LockdownState.OPEN);

        assertThat(repo.lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void setLockdown_replacesThePreviousState() {
        repo.setLockdown(LockdownState.entered(Instant.parse("2025-03-01T10:00:00Z"), "first", "owner"));
        LockdownState second = LockdownState.entered(Instant.parse("2025-03-02T11:00:00Z"), "second", "agent-x");

        repo.setLockdown(second);

        assertThat(repo.lockdown()).isEqualTo(second);
    }

    @Test
    void ownerProfile_isEmptyUntilSet_thenSetOnce_andNeverChanged() {
        assertThat(repo.ownerProfile()).isEmpty();
        repo.setOwnerProfile(org.memoryvault.domain.model.ProfileId.of("owner"));
        assertThat(repo.ownerProfile()).contains(org.memoryvault.domain.model.ProfileId.of("owner"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> repo.setOwnerProfile(org.memoryvault.domain.model.ProfileId.of("agent")))
                .isInstanceOfSatisfying(org.memoryvault.domain.error.InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo(org.memoryvault.domain.error.ErrorCode.INPUT_STATE));
        assertThat(repo.ownerProfile()).as("every owner check rests on this row").contains(org.memoryvault.domain.model.ProfileId.of("owner"));
    }

    @Test
    void ownerProfile_setInARolledBackTransaction_isNotSet() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixture.tx().run(() -> {
            repo.setOwnerProfile(org.memoryvault.domain.model.ProfileId.of("owner"));
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID, "abort");
        })).isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
        assertThat(repo.ownerProfile()).isEmpty();
        repo.setOwnerProfile(org.memoryvault.domain.model.ProfileId.of("second-try"));
        assertThat(repo.ownerProfile()).contains(org.memoryvault.domain.model.ProfileId.of("second-try"));
    }

    @Test
    void lockdownAndOwnerProfile_survive_aRolledBackChangeOfTheOther() {
        repo.setOwnerProfile(org.memoryvault.domain.model.ProfileId.of("owner"));
        LockdownState entered = LockdownState.entered(Instant.parse("2025-03-01T10:00:00Z"), "drill", "owner");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixture.tx().run(() -> {
            repo.setLockdown(entered);
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID, "abort");
        })).isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
        assertThat(repo.lockdown()).isEqualTo(LockdownState.OPEN);
        assertThat(repo.ownerProfile()).contains(org.memoryvault.domain.model.ProfileId.of("owner"));
    }
}
