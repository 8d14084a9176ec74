package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.LockdownState;

class SqliteVaultStateRepositoryTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteVaultStateRepository state;

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        state = new SqliteVaultStateRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void newVault_isOpen() {
        assertThat(state.lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void enteredLockdown_roundTrips_withNanosecondInstant_andSurvivesReopen() {
        LockdownState entered = LockdownState.entered(Instant.parse("2025-05-06T07:08:09.123456789Z"), "anomaly: 5 refusals",
                "anomaly-detector");
        state.setLockdown(entered);

        assertThat(state.lockdown()).isEqualTo(entered);
        db.close();
        db = SqliteDatabases.openExisting(dir);
        assertThat(new SqliteVaultStateRepository(db).lockdown()).isEqualTo(entered);
    }

    @Test
    void open_afterLockdown_clearsEveryField() {
        state.setLockdown(LockdownState.entered(Instant.EPOCH, "r", "b"));

        state.setLockdown(LockdownState.OPEN);

        assertThat(state.lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void partialState_roundTrips() {
        LockdownState odd = new LockdownState(true, Optional.empty(), Optional.of("why"), Optional.empty());
        state.setLockdown(odd);

        assertThat(state.lockdown()).isEqualTo(odd);
    }

    @Test
    void damagedActiveFlag_readsAsLockdown() {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO vault_state (key, value) VALUES ('lockdown.active', 'maybe')"));

        assertThat(state.lockdown().active()).isTrue();
    }

    @Test
    void damagedSince_readsAsLockdown() {
        state.setLockdown(new LockdownState(false, Optional.of(Instant.EPOCH), Optional.empty(), Optional.empty()));
        db.jdbi().useHandle(h -> h.execute("UPDATE vault_state SET value = 'yesterday' WHERE key = 'lockdown.since'"));

        assertThat(state.lockdown().active()).isTrue();
    }
}
