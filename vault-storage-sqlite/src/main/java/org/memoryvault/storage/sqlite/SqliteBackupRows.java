package org.memoryvault.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.BackupRecord;
import org.memoryvault.domain.port.BackupRows;

/**
 * The tables of docs/FORMAT.md §9 as backup rows (§14): every table but the full-text indexes
 * (rebuilt from {@code memories} and {@code recalls} after an import), in the order below, each by
 * its table order (rowid, or the primary key of a table without rowids), with the columns in their declared order ({@code SELECT *}). Read in one read
 * snapshot; an import inserts them in one write transaction.
 */
final class SqliteBackupRows implements BackupRows {
    /** The tables a backup carries, parents before children (foreign keys hold while importing in this order). */
    static final List<String> TABLES = List.of("vault_state", "profiles", "key_slots", "level5_bindings", "level5_slots",
            "memories", "recalls", "intent_links", "principals", "approvals", "tokens", "audit_keys", "audit_entries",
            "audit_nodes", "audit_head", "audit_checkpoints", "owner_seals", "rekeys");

    private final SqliteDatabase db;

    SqliteBackupRows(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override public int schemaVersion() { return db.schemaVersion(); }

    @Override
    public long export(java.util.function.Supplier<List<BackupRecord>> files, Consumer<BackupRecord> sink) {
        List<List<BackupRecord>> read = new ArrayList<>();
        return db.snapshotTakenUnderWriteLock(() -> read.add(files.get()), c -> {
            read.get(0).forEach(sink);
            long n = 0;
            for (String table : TABLES) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    int columns = md.getColumnCount();
                    while (rs.next()) {
                        List<@Nullable Object> values = new ArrayList<>(columns);
                        for (int i = 1; i <= columns; i++) values.add(value(rs, i));
                        sink.accept(BackupRecord.row(table, values));
                        n++;
                    }
                }
            }
            return n;
        });
    }

    /** A column's value as SQLite stores it (its storage class, not the declared type). */
    private static @Nullable Object value(ResultSet rs, int i) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) return null;
        if (o instanceof Integer n) return n.longValue();
        if (o instanceof Long || o instanceof String || o instanceof byte[]) return o;
        if (o instanceof Double || o instanceof Float) return ((Number) o).doubleValue();
        throw new IllegalStateException("unexpected SQLite value of " + o.getClass());
    }

    @Override
    public long importAll(Iterator<BackupRecord> rows) {
        return db.inTransaction(() -> db.writeJdbc("restore the vault's rows", c -> {
            requireEmpty(c);
            Map<String, PreparedStatement> inserts = new HashMap<>();
            Map<String, Integer> widths = new HashMap<>();
            long n = 0;
            try {
                while (rows.hasNext()) {
                    BackupRecord r = rows.next();
                    PreparedStatement insert = inserts.get(r.name());
                    if (insert == null) {
                        if (!TABLES.contains(r.name())) throw tampered("a row of an unknown table");
                        int width = columns(c, r.name());
                        widths.put(r.name(), width);
                        insert = c.prepareStatement("INSERT INTO " + r.name() + " VALUES (" + "?, ".repeat(width - 1) + "?)");
                        inserts.put(r.name(), insert);
                    }
                    List<@Nullable Object> values = r.values();
                    if (values.size() != Objects.requireNonNull(widths.get(r.name()))) throw tampered("a row of " + r.name() + " with " + values.size() + " columns");
                    for (int i = 0; i < values.size(); i++) {
                        Object v = values.get(i);
                        if (v == null) insert.setNull(i + 1, Types.NULL);
                        else insert.setObject(i + 1, v);
                    }
                    try {
                        insert.executeUpdate();
                    } catch (SQLException e) {
                        throw tampered("a row of " + r.name() + " the schema refuses (" + e.getMessage() + ")");
                    }
                    n++;
                }
            } finally {
                for (PreparedStatement p : inserts.values()) p.close();
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO memory_search (memory_search) VALUES ('rebuild')");
                s.execute("INSERT INTO recall_search (recall_search) VALUES ('rebuild')");
            }
            return n;
        }));
    }

    private static void requireEmpty(Connection c) throws SQLException {
        for (String table : List.of("profiles", "memories", "audit_entries", "owner_seals")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    throw new InvalidInputException(ErrorCode.INPUT_STATE, "a backup is restored into an empty vault only; this one holds "
                            + table);
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM vault_state");           // a new database's own vault id and lockdown row give way to the backup's
        }
    }

    private static int columns(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_table_info('" + table + "')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static IntegrityException tampered(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup is damaged: " + what, null);
    }
}
