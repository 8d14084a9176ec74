package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.storage.sqlite.internal.ConnectionPool;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;
import org.memoryvault.storage.sqlite.internal.StatementCache;

/**
 * An open vault database: one {@code vault.db} file, migrated to the current schema, with a small
 * pool of warm connections. Obtain one from {@link SqliteDatabases}; the adapters of this package
 * take it as their constructor argument. Thread-safe.
 *
 * <p>Transactions: {@link #inTransaction} binds one Jdbi {@link Handle} to the calling thread and
 * starts it with {@code BEGIN IMMEDIATE} (the write lock is taken up front, so two writers never
 * deadlock upgrading a read lock). Every repository call made on that thread joins it. Writers in
 * this process queue on a lock; writers in other processes wait up to the busy timeout.
 *
 * <p>Hot paths (every store and recall) skip Jdbi: {@link #readJdbc} and {@link #writeJdbc} hand
 * the callback the transaction's JDBC connection, whose prepared statements are cached
 * ({@link #statements()}), and transaction control ({@code BEGIN}, {@code COMMIT},
 * {@code ROLLBACK}) runs on cached statements too.
 *
 * <p>Security: the caller must {@link #close} it. Closing does not wipe anything: the file holds
 * ciphertext, wrapped keys and metadata only.
 */
public final class SqliteDatabase implements AutoCloseable {
    /** The most works one group commit takes: bounds the latency of the first of them. */
    static final int MAX_GROUP = 64;
    /**
     * A diagnostic for benchmarks ({@code vault bench --concurrency}): the system property
     * {@value}, read when a database is opened, lowers the group size (1: every work commits alone).
     */
    public static final String MAX_GROUP_PROPERTY = "memoryvault.sqlite.max-group";

    private final Path file;
    private final ConnectionPool pool;
    private final Jdbi jdbi;
    private final Duration busyTimeout;
    private final int schemaVersion;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ThreadLocal<@Nullable Transaction> current = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Pending<?>> waiting = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final int maxGroup = Math.max(1, Math.min(MAX_GROUP, Integer.getInteger(MAX_GROUP_PROPERTY, MAX_GROUP)));
    private volatile boolean closed;

    SqliteDatabase(Path file, ConnectionPool pool, Duration busyTimeout, int schemaVersion) {
        this.file = Objects.requireNonNull(file, "file");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        this.schemaVersion = schemaVersion;
        this.jdbi = Jdbi.create(pool).setStatementBuilderFactory(pool.statements());
    }

    /**
     * The Jdbi instance over this database's pool, for tools and tests. Handles opened from it do
     * not join {@link #inTransaction}; the adapters of this package go through it and do.
     */
    public Jdbi jdbi() { return jdbi; }

    /** The database file ({@code <vault dir>/vault.db}). */
    public Path file() { return file; }

    /** The schema version the file had once opened (always the newest this code knows). */
    public int schemaVersion() { return schemaVersion; }

    /** The prepared statements cached per connection, for JDBC code on hot paths (see {@link StatementCache#borrow}). */
    StatementCache statements() { return pool.statements(); }

    /** JDBC work on one connection; SQLExceptions are translated by the caller of {@link #readJdbc}/{@link #writeJdbc}. */
    @FunctionalInterface
    interface JdbcWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** How many write transactions this instance committed (a group commit counts once): for tests. */
    long commitCount() { return commits.get(); }

    /** How many works wait for the next group commit: for tests. */
    int waitingCount() { return waiting.size(); }

    /** True while the calling thread is inside {@link #inTransaction}. */
    public boolean inTransactionOnThisThread() { return current.get() != null; }

    /**
     * Runs {@code work} in one durable write transaction: when this returns, the work's writes are
     * committed ({@code synchronous=FULL}); when it throws, none of them are. A nested call on the
     * same thread joins the outer transaction; if the nested work throws, the exception propagates
     * and the whole transaction rolls back, even if the caller catches it. A
     * {@link RuntimeException} or {@link Error} from {@code work} rolls the work back and is rethrown.
     *
     * <p>Group commit: callers on other threads that wait meanwhile share one transaction and one
     * fsync. The caller that obtains the write lock runs every waiting work, in arrival order, each
     * in a savepoint of its own (a work that fails is rolled back alone, and only its caller sees
     * the exception), commits once, and then every caller returns. So {@code work} may run on
     * another thread than its caller's: it must not rely on the caller's thread (thread-locals, locks
     * the caller holds). After-commit actions run once per group, on the committing thread.
     *
     * @throws InternalVaultException {@code STORAGE_BUSY} "the vault database is busy" when the
     *                                write lock is not obtained within the busy timeout
     */
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Transaction outer = current.get();
        if (outer != null) return nested(outer, work);
        Pending<T> mine = new Pending<>(work);
        waiting.add(mine);
        if (!lockWriters()) {
            if (mine.cancel()) {
                boolean interrupted = Thread.currentThread().isInterrupted();
                throw new InternalVaultException(interrupted ? ErrorCode.INTERNAL_STORAGE : ErrorCode.STORAGE_BUSY,
                        interrupted ? "interrupted while waiting for the vault database" : "the vault database is busy", null);
            }
            lockWritersUninterruptibly();     // a group took it meanwhile: it completes before the lock is free again
        }
        try {
            while (!mine.isDone()) commitGroup();     // a full group may have left it waiting
        } finally {
            writeLock.unlock();
        }
        return mine.outcome();
    }

    /**
     * With the write lock held: takes the waiting works (at most {@value #MAX_GROUP}), runs them in
     * one transaction and completes each. Never throws: every failure reaches the callers it concerns.
     */
    private void commitGroup() {
        List<Pending<?>> group = new ArrayList<>();
        for (Pending<?> p = waiting.poll(); p != null; p = group.size() < maxGroup ? waiting.poll() : null) {
            if (p.claim()) group.add(p);
        }
        try {
            if (!group.isEmpty()) runGroup(group);
        } catch (RuntimeException | Error e) {
            for (Pending<?> p : group) p.fail(e);
        } finally {
            for (Pending<?> p : group) p.complete();
        }
    }

    /** One transaction for {@code group}: each work in turn, then one COMMIT if any of them succeeded. */
    private void runGroup(List<Pending<?>> group) {
        Handle handle = open();
        try {
            Connection c = handle.getConnection();
            control(c, "BEGIN IMMEDIATE", "start a transaction");
            Transaction tx = new Transaction(handle);
            boolean savepoints = group.size() > 1;     // a work alone needs none: its failure rolls the transaction back
            RuntimeException aborted = null;
            current.set(tx);
            try {
                for (Pending<?> p : group) {
                    if (aborted != null) p.fail(aborted); else aborted = runOne(c, tx, p, savepoints);
                }
            } finally {
                current.remove();
            }
            List<Pending<?>> succeeded = group.stream().filter(Pending::ranWell).toList();
            if (aborted != null || succeeded.isEmpty()) {
                RuntimeException cause = aborted != null ? aborted
                        : new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "rolled back", null);
                rollbackQuietly(c, cause);
                for (Pending<?> p : succeeded) p.fail(cause);
                return;
            }
            try {
                control(c, "COMMIT", "commit a transaction");
            } catch (VaultException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            commits.incrementAndGet();
            for (Runnable action : tx.afterCommit) action.run();
        } finally {
            try {
                close(handle);
            } catch (VaultException e) {
                // the outcome is decided (committed or rolled back); a connection that will not close is dropped
            }
        }
    }

    /**
     * Runs one work of a group in {@code tx}. Returns null, or the failure that broke the whole
     * transaction (a savepoint that would not roll back): the rest of the group fails with it.
     */
    private @Nullable RuntimeException runOne(Connection c, Transaction tx, Pending<?> p, boolean savepoints) {
        try {
            if (savepoints) control(c, "SAVEPOINT grouped", "start a grouped operation");
        } catch (RuntimeException e) {
            p.fail(e);
            return e;
        }
        tx.broken = false;
        tx.pendingActions.clear();
        Throwable failure = null;
        try {
            p.run();
            if (tx.broken) {
                failure = new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "the transaction was aborted by an earlier storage error", null);
            }
        } catch (RuntimeException | Error e) {
            failure = e instanceof JdbiException j ? SqliteErrors.translate(j, "complete a transaction") : e;
        }
        if (failure == null) {
            try {
                if (savepoints) control(c, "RELEASE grouped", "finish a grouped operation");
            } catch (RuntimeException e) {
                // the work ended the transaction itself, or SQLite did: nothing of the group survives
                InternalVaultException lost = new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "the database rolled back an operation committed with this one (" + reason(e) + ")", e);
                p.fail(lost);
                return lost;
            }
            for (Runnable action : tx.pendingActions) if (!tx.afterCommit.contains(action)) tx.afterCommit.add(action);
            return null;
        }
        p.fail(failure);
        if (!savepoints) return null;                  // the group of one rolls back as a whole
        try {
            control(c, "ROLLBACK TO grouped", "roll back a grouped operation");
            control(c, "RELEASE grouped", "roll back a grouped operation");
            return null;
        } catch (RuntimeException e) {
            // SQLite rolls a whole transaction back on some errors (I/O, disk full): nothing of the group survives,
            // and the other callers learn why (not the savepoint's own complaint, which would read as damage)
            failure.addSuppressed(e);
            return new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                    "another operation committed with this one failed, and the database rolled back both (" + reason(failure) + ")", failure);
        }
    }

    private static String reason(Throwable failure) {
        return failure instanceof VaultException v ? v.getMessage() : failure.getClass().getSimpleName();
    }

    /**
     * Runs read-only {@code work} in one read transaction ({@code BEGIN} ... {@code COMMIT}) bound
     * to the calling thread: every repository read in it sees one snapshot, and in WAL mode it
     * neither waits for writers nor holds them up. A write inside it is refused
     * ({@link IllegalStateException}: a programming error). Inside a transaction it joins it.
     */
    public <T> T inSnapshot(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Transaction outer = current.get();
        if (outer != null) return nested(outer, work);
        Handle handle = open();
        try {
            Connection c = handle.getConnection();
            control(c, "BEGIN", "start a read");
            current.set(new Transaction(handle, true));
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                if (e instanceof JdbiException j) throw SqliteErrors.translate(j, "read the vault database");
                throw e;
            } finally {
                current.remove();
            }
            control(c, "COMMIT", "end a read");
            return result;
        } finally {
            close(handle);
        }
    }

    /**
     * Runs a read on the current thread's transaction if there is one, else in a read transaction
     * of its own ({@code BEGIN} ... {@code COMMIT}): all its statements see one snapshot, and in
     * WAL mode it never blocks a writer.
     */
    <T> T read(String action, HandleCallback<T, RuntimeException> work) {
        Transaction tx = current.get();
        try {
            if (tx != null) return work.withHandle(tx.handle);
            Handle handle = open();
            try {
                return inReadTransaction(handle.getConnection(), action, c -> work.withHandle(handle));
            } finally {
                close(handle);
            }
        } catch (JdbiException e) {
            throw SqliteErrors.translate(e, action);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, action);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException | IndexOutOfBoundsException
                 | ArithmeticException | java.time.DateTimeException e) {
            throw unreadableRow(action, e);
        }
    }

    /**
     * A row the domain refuses to build (a negative slot id, a malformed id, an impossible time): vault.db was
     * edited or damaged, an integrity failure (exit 5), not a fault of this program. The domain's own
     * exceptions are not of these types and pass through.
     */
    private static org.memoryvault.domain.error.IntegrityException unreadableRow(String action, RuntimeException e) {
        return new org.memoryvault.domain.error.IntegrityException(org.memoryvault.domain.error.ErrorCode.INTEGRITY_TAMPERED,
                "could not " + action + ": vault.db holds a row this vault cannot read (edited or damaged)", e);
    }

    /**
     * As {@link #read}, with plain JDBC and no Jdbi handle: for reads on the path of every store and
     * recall. Outside a transaction, the work runs in a read transaction of its own on a pooled
     * connection. The callback borrows cached statements ({@link #statements()}) and closes its
     * result sets, so no statement keeps a read snapshot open.
     */
    <T> T readJdbc(String action, JdbcWork<T> work) {
        Transaction tx = current.get();
        try {
            if (tx != null) return work.apply(tx.handle.getConnection());
            Connection c = connection();
            try {
                return inReadTransaction(c, action, work);
            } finally {
                release(c);
            }
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, action);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException | IndexOutOfBoundsException
                 | ArithmeticException | java.time.DateTimeException e) {
            throw unreadableRow(action, e);
        }
    }

    /** The one read-transaction template of {@link #read} and {@link #readJdbc}: BEGIN, the work, COMMIT; a failure rolls back and is rethrown. */
    private <T> T inReadTransaction(Connection c, String action, JdbcWork<T> work) throws SQLException {
        control(c, "BEGIN", action);
        T result;
        try {
            result = work.apply(c);
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
        }
        control(c, "COMMIT", action);
        return result;
    }

    /**
     * A read snapshot whose start is taken while this process holds the write lock, so that no
     * writer is between its changes and its commit (an owner ceremony writes config.toml inside its
     * transaction): {@code underLock} runs then, with the snapshot already fixed; the lock is then
     * released and {@code work} reads the snapshot, however long it takes, without blocking writers.
     */
    <T> T snapshotTakenUnderWriteLock(Runnable underLock, JdbcWork<T> work) {
        Connection c = connection();
        try {
            control(c, "BEGIN", "start a read");
            try {
                inTransaction(() -> {
                    try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM vault_state")) {
                        rs.next();                     // the first read fixes the snapshot: the state no writer is changing now
                    } catch (SQLException e) {
                        throw SqliteErrors.translate(e, "start a read");
                    }
                    underLock.run();
                    return null;
                });
                T result = work.apply(c);
                control(c, "COMMIT", "end a read");
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw SqliteErrors.translate(e, "read the vault database");
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } finally {
            release(c);
        }
    }

    /** As {@link #write}, with plain JDBC: the callback gets the transaction's connection. */
    <T> T writeJdbc(String action, JdbcWork<T> work) {
        Transaction tx = current.get();
        if (tx == null) return inTransaction(() -> writeJdbc(action, work));
        tx.requireWritable(action);
        try {
            return work.apply(tx.handle.getConnection());
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, action);
        }
    }

    /** Runs a write in the current thread's transaction, or in a short transaction of its own. */
    <T> T write(String action, HandleCallback<T, RuntimeException> work) {
        Transaction tx = current.get();
        if (tx == null) return inTransaction(() -> write(action, work));
        tx.requireWritable(action);
        try {
            return work.withHandle(tx.handle);
        } catch (JdbiException e) {
            throw SqliteErrors.translate(e, action);
        }
    }

    /**
     * Runs {@code action} after the current transaction commits (not at all if it rolls back), once
     * per outermost transaction however often it is asked. Must be called inside a transaction.
     */
    void afterCommit(Runnable action) {
        Transaction tx = current.get();
        if (tx == null) throw new IllegalStateException("afterCommit outside a transaction");
        if (!tx.pendingActions.contains(action)) tx.pendingActions.add(action);
    }

    /**
     * The after-commit action of every change that destroys secrets (a shred, a purge, withdrawn
     * releases), one shared instance so a transaction runs it once however many changes ask for it:
     * moves committed pages into the main file and truncates the WAL, so destroyed content does not
     * linger in its old frames. Best effort: it waits up to the busy timeout for a reader (in
     * another process) that holds an old snapshot, then checkpoints what it can. Never throws: it
     * runs after a commit that already succeeded.
     */
    Runnable truncateWal() { return truncateWal; }

    private final Runnable truncateWal = () -> {
        try {
            Handle handle = open();
            try {
                handle.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").mapTo(Integer.class).one();
            } finally {
                close(handle);
            }
        } catch (VaultException | JdbiException e) {
            // the commit stands; the next truncation, or SQLite's own checkpoint, moves the frames later
        }
    };

    /**
     * A nested call joins the outer transaction as it is: no savepoint, so it costs nothing. If the
     * nested work throws, the whole transaction is marked broken: even if the caller catches the
     * exception, the outermost call rolls everything back instead of committing half of it.
     */
    private <T> T nested(Transaction tx, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            tx.broken = true;
            if (e instanceof JdbiException j) throw SqliteErrors.translate(j, "complete a nested transaction");
            throw e;
        }
    }

    /** Takes the write lock within the busy timeout: false if it did not come. */
    private boolean lockWriters() {
        try {
            return writeLock.tryLock(busyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void lockWritersUninterruptibly() { writeLock.lock(); }

    private Handle open() {
        if (closed) throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the vault database is closed", null);
        try {
            return jdbi.open();
        } catch (JdbiException e) {
            throw SqliteErrors.translateOnOpen(e, "open the vault database");
        }
    }

    private Connection connection() {
        if (closed) throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the vault database is closed", null);
        try {
            return pool.openConnection();
        } catch (SQLException e) {
            throw SqliteErrors.translateOnOpen(e, "open the vault database");
        }
    }

    private void release(Connection c) {
        try {
            pool.closeConnection(c);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "release a database connection");
        }
    }

    /** Runs a transaction-control statement (BEGIN, COMMIT...) on a cached statement of the connection. */
    private void control(Connection c, String sql, String action) {
        try {
            runControl(c, sql);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, action);
        }
    }

    private void runControl(Connection c, String sql) throws SQLException {
        StatementCache cache = pool.statements();
        PreparedStatement ps = cache.borrow(c, sql);
        try {
            ps.execute();
        } finally {
            cache.giveBack(c, ps);
        }
    }

    private void rollbackQuietly(Connection c, Throwable cause) {
        try {
            runControl(c, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (it does on some errors); the cause is what matters.
            cause.addSuppressed(e);
        }
    }

    private static void close(Handle handle) {
        try {
            handle.close();
        } catch (JdbiException e) {
            throw SqliteErrors.translate(e, "release a database connection");
        }
    }

    /** Closes the idle connections; the file stays as it is. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pool.close();
    }

    @Override
    public String toString() { return "SqliteDatabase[" + file + "]"; }

    /** The transaction bound to one thread. */
    private static final class Transaction {
        final Handle handle;
        final List<Runnable> afterCommit = new ArrayList<>(1);
        /** The after-commit actions of the work running now: kept if it succeeds, dropped if it is rolled back. */
        final List<Runnable> pendingActions = new ArrayList<>(1);
        /** A read snapshot ({@link #inSnapshot}): writes are refused. */
        final boolean readOnly;
        boolean broken;

        Transaction(Handle handle) { this(handle, false); }

        Transaction(Handle handle, boolean readOnly) {
            this.handle = handle;
            this.readOnly = readOnly;
        }

        void requireWritable(String action) {
            if (readOnly) throw new IllegalStateException("cannot " + action + " inside a read snapshot (inSnapshot)");
        }
    }

    /**
     * One caller's work waiting for, or in, a group commit. States: queued, then claimed by the
     * committing thread (or cancelled by its caller when the lock did not come), then done.
     */
    private static final class Pending<T> {
        private static final int QUEUED = 0;
        private static final int CLAIMED = 1;
        private static final int CANCELLED = 2;
        private final Supplier<T> work;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private @Nullable T value;
        private @Nullable Throwable failure;
        private boolean ran;
        private volatile boolean done;

        Pending(Supplier<T> work) { this.work = work; }

        boolean claim() { return state.compareAndSet(QUEUED, CLAIMED); }

        boolean cancel() { return state.compareAndSet(QUEUED, CANCELLED); }

        void run() {
            value = work.get();
            ran = true;
        }

        boolean ranWell() { return ran && failure == null; }

        /** Records why this work did not commit; the first reason wins (a work's own exception before a group failure). */
        void fail(Throwable e) {
            if (failure == null) failure = e;
        }

        /** Publishes the outcome (the write lock's release orders it before the caller reads it). */
        void complete() { done = true; }

        boolean isDone() { return done; }

        @SuppressWarnings("NullAway")        // a work may return null (Transactions.run does)
        T outcome() {
            if (!done) throw new IllegalStateException("the grouped work has no outcome yet");
            Throwable f = failure;
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            return value;
        }
    }
}
