package org.memoryvault.storage.sqlite.internal;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps prepared statements per pooled connection, so a statement is compiled once per connection,
 * not once per call. This matters with SQLite: preparing an INSERT into {@code memories} also
 * compiles its FTS triggers, and that costs more than running it.
 *
 * <p>Jdbi asks this factory for a builder each time a handle opens; the builder belongs to the
 * connection and outlives the handle. A statement is taken out of the cache while in use (a second
 * use of the same SQL at the same time gets a fresh statement), and goes back when Jdbi closes it
 * (Jdbi closes its result set first, so no cached statement holds a read snapshot open).
 * {@link #forget} closes a connection's statements; the pool calls it before closing the connection.
 */
public final class StatementCache implements StatementBuilderFactory {
    private final int maxPerConnection;
    private final Map<Connection, Builder> builders = Collections.synchronizedMap(new IdentityHashMap<>());

    public StatementCache(int maxPerConnection) { this.maxPerConnection = maxPerConnection; }

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) { return builder(connection); }

    /**
     * A prepared statement for {@code sql} on {@code connection}, for code that runs JDBC directly on
     * a hot path. The caller must {@link #giveBack} it (in a finally block) and must not close it.
     */
    public PreparedStatement borrow(Connection connection, String sql) throws SQLException {
        return builder(connection).take(connection, sql);
    }

    /** Returns a statement from {@link #borrow} to the cache. */
    public void giveBack(Connection connection, PreparedStatement statement) throws SQLException {
        builder(connection).putBack(statement);
    }

    private Builder builder(Connection connection) {
        return builders.computeIfAbsent(connection, c -> new Builder(maxPerConnection));
    }

    /** Closes and drops the cached statements of {@code connection}. */
    public void forget(Connection connection) throws SQLException {
        Builder b = builders.remove(connection);
        if (b != null) b.closeAll();
    }

    private static final class Builder implements StatementBuilder {
        private final Map<String, PreparedStatement> idle;
        // Statements this builder may cache, with the SQL they were prepared from (Jdbi's close() is given
        // the statement's original text, not the parsed SQL it was prepared with).
        private final Map<Statement, String> cacheable = new IdentityHashMap<>();

        Builder(int max) {
            this.idle = new LinkedHashMap<>(32, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                    if (size() <= max) return false;
                    closeQuietly(eldest.getValue());
                    return true;
                }
            };
        }

        @Override
        public synchronized Statement create(Connection conn, StatementContext ctx) throws SQLException {
            return conn.createStatement();
        }

        @Override
        public synchronized PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
                // Rare shapes: build them the way Jdbi's default builder does, uncached.
                String[] columns = ctx.getGeneratedKeysColumnNames();
                if (ctx.isConcurrentUpdatable()) {
                    return conn.prepareStatement(sql, java.sql.ResultSet.TYPE_FORWARD_ONLY, java.sql.ResultSet.CONCUR_UPDATABLE);
                }
                return columns != null && columns.length > 0 ? conn.prepareStatement(sql, columns)
                        : conn.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
            }
            return take(conn, sql);
        }

        synchronized PreparedStatement take(Connection conn, String sql) throws SQLException {
            PreparedStatement ps = idle.remove(sql);
            if (ps == null || ps.isClosed()) {
                ps = conn.prepareStatement(sql);
                cacheable.put(ps, sql);
            }
            return ps;
        }

        @Override
        public synchronized CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
                throws SQLException {
            return conn.prepareCall(sql);
        }

        @Override
        public synchronized void close(Connection conn, String sql, Statement stmt) throws SQLException {
            putBack(stmt);
        }

        synchronized void putBack(Statement stmt) throws SQLException {
            String prepared = cacheable.get(stmt);
            if (!(stmt instanceof PreparedStatement ps) || prepared == null || stmt.isClosed()) {
                cacheable.remove(stmt);
                stmt.close();
                return;
            }
            ps.clearParameters();
            PreparedStatement previous = idle.put(prepared, ps);
            if (previous != null && previous != ps) {
                cacheable.remove(previous);
                previous.close();
            }
        }

        @Override
        public void close(Connection conn) {
            // The connection goes back to the pool with its statements; StatementCache.forget closes them.
        }

        synchronized void closeAll() throws SQLException {
            List<PreparedStatement> all = new ArrayList<>(idle.values());
            idle.clear();
            cacheable.clear();
            SQLException failure = null;
            for (PreparedStatement ps : all) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    if (failure == null) failure = e; else failure.addSuppressed(e);
                }
            }
            if (failure != null) throw failure;
        }

        private void closeQuietly(PreparedStatement ps) {
            cacheable.remove(ps);
            try {
                ps.close();
            } catch (SQLException e) {
                // Evicting a statement: a close failure changes nothing for the caller.
            }
        }
    }
}
