package org.memoryvault.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
    private final Path file;
    private final ConnectionPool pool;
    private final Jdbi jdbi;
    private final Duration busyTimeout;
    private final int schemaVersion;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ThreadLocal<@Nullable Transaction> current = new ThreadLocal<>();
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

    /** True while the calling thread is inside {@link #inTransaction}. */
    public boolean inTransactionOnThisThread() { return current.get() != null; }

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE} ... {@code COMMIT}). A
     * nested call on the same thread joins the outer transaction; if the nested work throws, the
     * exception propagates and the whole transaction rolls back, even if the caller catches it. A
     * {@link RuntimeException} or {@link Error} from {@code work} rolls the whole (outermost)
     * transaction back and is rethrown.
     *
     * @throws InternalVaultException {@code INTERNAL_STORAGE} "the vault database is busy" when the
     *                                write lock is not obtained within the busy timeout
     */
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Transaction outer = current.get();
        if (outer != null) return nested(outer, work);
        lockWriters();
        try {
            Handle handle = open();
            try {
                control(handle.getConnection(), "BEGIN IMMEDIATE", "start a transaction");
                Transaction tx = new Transaction(handle);
                current.set(tx);
                T result;
                try {
                    result = work.get();
                    if (tx.broken) {
                        throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                                "the transaction was aborted by an earlier storage error", null);
                    }
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(handle.getConnection(), e);
                    if (e instanceof JdbiException j) throw SqliteErrors.translate(j, "complete a transaction");
                    throw e;
                } finally {
                    current.remove();
                }
                try {
                    control(handle.getConnection(), "COMMIT", "commit a transaction");
                } catch (VaultException e) {
                    rollbackQuietly(handle.getConnection(), e);
                    throw e;
                }
                for (Runnable action : tx.afterCommit) action.run();
                return result;
            } finally {
                close(handle);
            }
        } finally {
            writeLock.unlock();
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

    /** As {@link #write}, with plain JDBC: the callback gets the transaction's connection. */
    <T> T writeJdbc(String action, JdbcWork<T> work) {
        Transaction tx = current.get();
        if (tx == null) return inTransaction(() -> writeJdbc(action, work));
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
        if (!tx.afterCommit.contains(action)) tx.afterCommit.add(action);
    }

    /**
     * Moves committed pages into the main file and truncates the WAL, so content destroyed by a
     * delete or shred does not linger in the WAL. Best effort: a reader in another process may hold
     * an old snapshot, and then SQLite checkpoints what it can. Returns true when the WAL was fully
     * checkpointed and truncated. Never throws: it runs after a commit that already succeeded.
     */
    boolean checkpoint() {
        try {
            Handle handle = open();
            try {
                return handle.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").map((rs, ctx) -> rs.getInt(1) == 0).one();
            } finally {
                close(handle);
            }
        } catch (VaultException | JdbiException e) {
            return false;
        }
    }

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

    private void lockWriters() {
        boolean locked;
        try {
            locked = writeLock.tryLock(busyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "interrupted while waiting for the vault database", e);
        }
        if (!locked) throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the vault database is busy", null);
    }

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
        boolean broken;

        Transaction(Handle handle) { this.handle = handle; }
    }
}
