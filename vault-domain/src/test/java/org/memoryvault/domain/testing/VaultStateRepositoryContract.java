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
}
