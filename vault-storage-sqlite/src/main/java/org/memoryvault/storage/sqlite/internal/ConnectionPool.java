package org.memoryvault.storage.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jdbi.v3.core.ConnectionFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A small pool of warm SQLite connections to one file, each configured the same way: foreign keys
 * on, {@code synchronous=FULL}, {@code secure_delete=ON}, the busy timeout, a WAL checkpoint every
 * {@value #WAL_AUTOCHECKPOINT_PAGES} pages. Connections are never created with SQLITE_OPEN_CREATE:
 * the file must exist (made 0600 by {@link VaultFiles}), so SQLite can never create it with the
 * process umask.
 *
 * <p>Jdbi hands a connection back through {@link #closeConnection}; up to {@code maxIdle} stay open
 * for the next handle, with their prepared statements ({@link #statements()}). Thread-safe.
 */
public final class ConnectionPool implements ConnectionFactory, AutoCloseable {
    /** WAL size, in pages, at which a commit also checkpoints. */
    static final int WAL_AUTOCHECKPOINT_PAGES = 8_000;

    private final String url;
    private final Duration busyTimeout;
    private final int maxIdle;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final StatementCache statements = new StatementCache(64);
    private boolean closed;

    public ConnectionPool(Path databaseFile, Duration busyTimeout, int maxIdle) {
        this.url = "jdbc:sqlite:" + databaseFile.toAbsolutePath();
        this.busyTimeout = busyTimeout;
        this.maxIdle = maxIdle;
    }

    /** The prepared-statement cache of this pool's connections; give it to Jdbi. */
    public StatementCache statements() { return statements; }

    @Override
    public Connection openConnection() throws SQLException {
        synchronized (idle) {
            if (closed) throw new SQLException("the connection pool is closed");
            Connection c = idle.pollFirst();
            if (c != null) return c;
        }
        return create();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        synchronized (idle) {
            if (!closed && idle.size() < maxIdle && !connection.isClosed()) {
                idle.addFirst(connection);
                return;
            }
        }
        closePhysically(connection);
    }

    private void closePhysically(Connection connection) throws SQLException {
        try {
            statements.forget(connection);
        } finally {
            connection.close();
        }
    }

    /** Opens a new configured connection, outside the pool (the caller closes it or gives it back). */
    public Connection create() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // No adapter reads generated keys; with this on, the driver prepares and runs a second
        // statement after every INSERT to fetch them.
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA secure_delete = ON");
            // 16 MiB of page cache (the default is 2 MiB): the id and FTS indexes of a large vault stay
            // in memory, which keeps batched stores CPU-bound rather than page-fault-bound.
            s.execute("PRAGMA cache_size = -16384");
            // Checkpoint every 8,000 WAL pages (about 32 MiB) instead of 1,000: a batch of stores
            // touches pages all over the two memory-id indexes, and a checkpoint writes each page once
            // however many commits changed it, so fewer checkpoints write far less. Durability is
            // the WAL's fsync at every commit and does not change; shreds still truncate the WAL.
            s.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
            // Schema code (CHECKs, triggers) runs only built-in functions: refuse anything else a
            // planted database could ask for.
            s.execute("PRAGMA trusted_schema = OFF");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Closes the idle connections; connections in use close when they are given back. */
    @Override
    public void close() {
        List<Connection> toClose;
        synchronized (idle) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        SQLException failure = null;
        for (Connection c : toClose) {
            try {
                closePhysically(c);
            } catch (SQLException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw SqliteErrors.translate(failure, "close the vault database");
    }
}
