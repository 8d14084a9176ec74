package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.Memory;

class SqliteTransactionsTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteTransactions tx;
    private SqliteMemoryRepository memories;
    private SqliteVaultStateRepository state;
    private final Fixtures f = new Fixtures(11);

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
        tx = new SqliteTransactions(db);
        memories = new SqliteMemoryRepository(db);
        state = new SqliteVaultStateRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void inTransaction_commitsEveryWrite_andReturnsTheResult() {
        Memory m = f.memory("x");
        LockdownState lockdown = LockdownState.entered(Instant.EPOCH, "test", "owner");

        String result = tx.inTransaction(() -> {
            memories.insert(m);
            state.setLockdown(lockdown);
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(memories.find(m.id())).isPresent();
        assertThat(state.lockdown()).isEqualTo(lockdown);
    }

    @Test
    void inTransaction_failure_rollsBackEverything_andRethrowsTheSameException() {
        Memory m = f.memory("x");
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> tx.run(() -> {
            memories.insert(m);
            memories.recordRecall(m.id(), Instant.EPOCH, "a", "why");
            state.setLockdown(LockdownState.entered(Instant.EPOCH, "r", "b"));
            throw boom;
        })).isSameAs(boom);

        assertThat(memories.count()).isZero();
        assertThat(memories.find(m.id())).isEmpty();
        assertThat(state.lockdown()).isEqualTo(LockdownState.OPEN);
    }

    @Test
    void inTransaction_error_rollsBack() {
        Memory m = f.memory("x");

        assertThatThrownBy(() -> tx.run(() -> {
            memories.insert(m);
            throw new AssertionError("an Error, not an Exception");
        })).isInstanceOf(AssertionError.class);

        assertThat(memories.count()).isZero();
    }

    @Test
    void inTransaction_failedRepositoryCall_rollsBackEarlierWrites() {
        Memory m = f.memory("x");

        assertThatThrownBy(() -> tx.run(() -> {
            memories.insert(m);
            memories.insert(m); // duplicate id
        })).hasFieldOrPropertyWithValue("code", ErrorCode.INPUT_INVALID);

        assertThat(memories.count()).isZero();
    }

    @Test
    void readsInsideTheTransaction_seeItsUncommittedWrites_otherThreadsDoNot() throws Exception {
        Memory m = f.memory("x");

        tx.run(() -> {
            memories.insert(m);
            assertThat(memories.find(m.id())).isPresent();
            boolean seenElsewhere = CompletableFuture.supplyAsync(() -> memories.find(m.id()).isPresent())
                    .join();
            assertThat(seenElsewhere).isFalse();
        });

        assertThat(CompletableFuture.supplyAsync(() -> memories.find(m.id()).isPresent()).get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void nestedCalls_joinTheOuterTransaction() {
        Memory a = f.memory("a");
        Memory b = f.memory("b");

        assertThatThrownBy(() -> tx.run(() -> {
            memories.insert(a);
            tx.run(() -> memories.insert(b));
            assertThat(db.inTransactionOnThisThread()).isTrue();
            throw new IllegalStateException("outer fails after the nested call returned");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(memories.count()).as("the nested write rolled back with the outer").isZero();
    }

    @Test
    void nestedFailure_caughtByTheOuter_stillRollsBackTheWholeTransaction() {
        Memory a = f.memory("a");
        Memory b = f.memory("b");

        assertThatThrownBy(() -> tx.run(() -> {
            memories.insert(a);
            assertThatThrownBy(() -> tx.run(() -> {
                memories.insert(b);
                throw new IllegalStateException("nested fails");
            })).isInstanceOf(IllegalStateException.class);
        })).isInstanceOf(org.memoryvault.domain.error.InternalVaultException.class)
                .hasMessageContaining("aborted");

        assertThat(memories.find(a.id())).isEmpty();
        assertThat(memories.find(b.id())).isEmpty();
    }

    @Test
    void writeOutsideATransaction_commitsOnItsOwn() {
        Memory m = f.memory("x");
        memories.insert(m);

        assertThat(db.inTransactionOnThisThread()).isFalse();
        assertThat(memories.find(m.id())).isPresent();
    }

    @Test
    void anotherProcessHoldingTheWriteLock_pastTheBusyTimeout_isInternalStorageBusy() throws Exception {
        db.close();
        db = SqliteDatabases.open(dir, SqliteDatabases.Options.DEFAULT.withBusyTimeout(Duration.ofMillis(200)));
        memories = new SqliteMemoryRepository(db);
        tx = new SqliteTransactions(db);
        Memory m = f.memory("x");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");

            assertThatThrownBy(() -> memories.insert(m)).isInstanceOf(InternalVaultException.class)
                    .hasMessage("the vault database is busy")
                    .extracting("code").isEqualTo(ErrorCode.STORAGE_BUSY);
            assertThatThrownBy(() -> tx.run(() -> { })).isInstanceOf(InternalVaultException.class)
                    .hasMessage("the vault database is busy");
            // Readers are not blocked by a writer (WAL).
            assertThat(memories.count()).isZero();
            s.execute("ROLLBACK");
        }
        memories.insert(m);
        assertThat(memories.count()).isEqualTo(1);
    }

    @Test
    void closedDatabase_isInternalStorage() {
        db.close();

        assertThatThrownBy(() -> memories.count()).isInstanceOf(InternalVaultException.class)
                .hasMessage("the vault database is closed");
    }
}
