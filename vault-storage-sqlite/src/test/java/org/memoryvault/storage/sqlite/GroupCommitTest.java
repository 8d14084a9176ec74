package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;

/**
 * Group commit ({@link SqliteDatabase#inTransaction}): works that wait while another transaction
 * holds the write lock are run together in one transaction, each in its own savepoint, and commit
 * with one fsync. A writer is held inside its transaction until the others queue, so the group is
 * known exactly.
 */
class GroupCommitTest {
    @TempDir Path dir;
    private SqliteDatabase db;

    @BeforeEach
    void open() { db = openWithTable(dir); }

    @AfterEach
    void close() { db.close(); }

    @Test
    void worksThatWaitTogether_commitOnce_andEachIsDurable() throws Exception {
        long before = db.commitCount();
        List<Supplier<Object>> works = new ArrayList<>();
        for (int i = 0; i < 8; i++) works.add(insert(db, i));

        List<CompletableFuture<Object>> results = whileTheLockIsHeld(db, works);

        for (CompletableFuture<Object> r : results) assertThat(r.join()).isEqualTo("ok");
        assertThat(db.commitCount() - before).isEqualTo(2);       // the held writer's commit, then one for all eight
        Path file = db.file();
        db.close();
        List<Integer> onDisk = new ArrayList<>();           // read back by a plain connection: the vault refuses foreign tables
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n FROM group_commit_test ORDER BY rowid")) {
            while (rs.next()) onDisk.add(rs.getInt(1));
        }
        assertThat(onDisk).containsExactly(-1, 0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aWorkThatFails_isRolledBackAlone_andOnlyItsCallerSeesTheError() throws Exception {
        List<Supplier<Object>> works = List.of(
                insert(db, 0),
                () -> {
                    insert(db, 1).get();
                    throw new IllegalArgumentException("work 1 fails after its write");
                },
                insert(db, 2),
                () -> {
                    insert(db, 3).get();
                    return insert(db, 0).get();             // a constraint violation inside SQLite: a storage error
                },
                insert(db, 4));

        List<CompletableFuture<Object>> results = whileTheLockIsHeld(db, works);

        assertThat(results.get(0).join()).isEqualTo("ok");
        assertThatThrownBy(results.get(1)::join).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("work 1 fails after its write");
        assertThat(results.get(2).join()).isEqualTo("ok");
        assertThatThrownBy(results.get(3)::join).cause().isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(((VaultException) e).code()).isEqualTo(ErrorCode.INTERNAL_STORAGE));
        assertThat(results.get(4).join()).isEqualTo("ok");
        assertThat(rows(db)).containsExactly(-1, 0, 2, 4);
    }

    @Test
    void afterCommitActions_runOnceForTheGroup_andNotForAWorkRolledBack() throws Exception {
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        Runnable keep = kept::incrementAndGet;
        Runnable drop = dropped::incrementAndGet;
        List<Supplier<Object>> works = List.of(
                () -> { db.afterCommit(keep); return insert(db, 0).get(); },
                () -> { db.afterCommit(drop); throw new IllegalStateException("rolled back"); },
                () -> { db.afterCommit(keep); return insert(db, 1).get(); });

        List<CompletableFuture<Object>> results = whileTheLockIsHeld(db, works);

        assertThat(results.get(0).join()).isEqualTo("ok");
        assertThat(results.get(2).join()).isEqualTo("ok");
        assertThat(kept).hasValue(1);
        assertThat(dropped).hasValue(0);
    }

    @Test
    void aNestedFailureCaughtByItsWork_stillRollsThatWorkBack_butNotTheOthers() throws Exception {
        List<Supplier<Object>> works = List.of(
                insert(db, 0),
                () -> {
                    insert(db, 1).get();
                    try {
                        db.inTransaction(() -> { throw new IllegalStateException("nested"); });
                    } catch (IllegalStateException swallowed) {
                        // the work goes on as if nothing happened: its writes must still not commit
                    }
                    return "ok";
                },
                insert(db, 2));

        List<CompletableFuture<Object>> results = whileTheLockIsHeld(db, works);

        assertThatThrownBy(results.get(1)::join).cause().isInstanceOf(VaultException.class)
                .hasMessageContaining("aborted by an earlier storage error");
        assertThat(rows(db)).containsExactly(-1, 0, 2);
    }

    /**
     * On some errors (I/O, a full disk) SQLite rolls the whole transaction back by itself; a work
     * that ends the transaction stands in for that here, deterministically.
     */
    @Test
    void aWorkAfterWhichSQLiteRolledBackTheWholeTransaction_failsEveryCaller_asAStorageError_notAsDamage() throws Exception {
        List<Supplier<Object>> works = List.of(
                insert(db, 0),
                () -> db.writeJdbc("fail as SQLite does on a full disk", c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                    throw new IllegalStateException("the disk is full");
                }),
                insert(db, 2));

        List<CompletableFuture<Object>> results = whileTheLockIsHeld(db, works);

        assertThatThrownBy(results.get(1)::join).hasRootCauseMessage("the disk is full");
        for (int i : new int[] {0, 2}) {
            assertThatThrownBy(results.get(i)::join).as("work %d", i).cause().isInstanceOfSatisfying(VaultException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_STORAGE);
                assertThat(e.getMessage()).contains("rolled back");
            });
        }
        assertThat(rows(db)).containsExactly(-1);
    }

    /** Whatever works fail, exactly the others commit, in the order their callers arrived. */
    @Property(tries = 25)
    void exactlyTheWorksThatSucceed_commit_inArrivalOrder(@ForAll @Size(min = 1, max = 20) List<Boolean> fails) throws Exception {
        Path scratch = Files.createTempDirectory("group-commit");       // jqwik tries get no @TempDir
        try (SqliteDatabase d = openWithTable(scratch)) {
            List<Supplier<Object>> works = new ArrayList<>();
            List<Integer> expected = new ArrayList<>(List.of(-1));
            for (int i = 0; i < fails.size(); i++) {
                Supplier<Object> write = insert(d, i);
                boolean fail = fails.get(i);
                works.add(() -> {
                    write.get();
                    if (fail) throw new IllegalStateException("planned failure");
                    return "ok";
                });
                if (!fail) expected.add(i);
            }
            List<CompletableFuture<Object>> results = whileTheLockIsHeld(d, works);
            for (int i = 0; i < fails.size(); i++) {
                CompletableFuture<Object> r = results.get(i);
                if (fails.get(i)) assertThatThrownBy(r::join).isInstanceOf(CompletionException.class);
                else assertThat(r.join()).isEqualTo("ok");
            }
            assertThat(rows(d)).containsExactlyElementsOf(expected);
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Holds the write lock in a transaction (it writes row -1) until every work has queued behind
     * it, one caller at a time so their arrival order is the list's, then lets them all go.
     */
    private static List<CompletableFuture<Object>> whileTheLockIsHeld(SqliteDatabase d, List<Supplier<Object>> works) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> d.inTransaction(() -> {
            insert(d, -1).get();
            holding.countDown();
            await(release);
            return "held";
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Object>> results = new ArrayList<>();
        for (Supplier<Object> work : works) {
            int queued = d.waitingCount();
            CompletableFuture<Object> r = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    r.complete(d.inTransaction(work));
                } catch (RuntimeException | Error e) {
                    r.completeExceptionally(e);
                }
            });
            caller.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (d.waitingCount() == queued) {
                if (System.nanoTime() > deadline) throw new AssertionError("the caller never queued");
                Thread.onSpinWait();
            }
            results.add(r);
        }
        release.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).handle((v, e) -> v).get(30, TimeUnit.SECONDS);
        return results;
    }

    private static SqliteDatabase openWithTable(Path home) {
        SqliteDatabase d = SqliteDatabases.open(home);
        d.writeJdbc("create the test table", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("CREATE TABLE group_commit_test (n INTEGER NOT NULL UNIQUE)");
            }
        });
        return d;
    }

    /** Inserts row {@code n} in the transaction of the thread that runs it. */
    private static Supplier<Object> insert(SqliteDatabase d, int n) {
        return () -> d.writeJdbc("insert a test row", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO group_commit_test (n) VALUES (?)")) {
                ps.setInt(1, n);
                ps.executeUpdate();
                return "ok";
            }
        });
    }

    private static List<Integer> rows(SqliteDatabase d) {
        return d.readJdbc("read the test rows", c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM group_commit_test ORDER BY rowid")) {
                while (rs.next()) out.add(rs.getInt(1));
            }
            return out;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
