package org.memoryvault.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.LegacyMemory;
import org.memoryvault.domain.port.LegacyVault;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;
import org.sqlite.SQLiteConfig;

/**
 * The Python original's {@code vault.db} (docs/IMPORT.md), opened read only: SQLite refuses any
 * write on this connection, and nothing here tries one.
 */
public final class SqliteLegacyVault implements LegacyVault {
    private static final Set<String> TABLES = Set.of("encryption_profiles", "memories", "recall_log", "merkle_leaves", "merkle_roots");

    private final Connection c;

    private SqliteLegacyVault(Connection c) { this.c = c; }

    /** Opens {@code db} read only; {@code INPUT_INVALID} if it is not a legacy vault database. */
    public static SqliteLegacyVault open(Path db) {
        if (!Files.isRegularFile(db, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, db + " is not a file (give the legacy vault.db)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        @Nullable Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:file:" + db.toAbsolutePath() + "?mode=ro");
            Set<String> present = new java.util.HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) present.add(rs.getString(1));
            }
            if (!present.containsAll(TABLES)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, db + " is not a vault of the Python Memory Vault (no "
                        + TABLES.stream().filter(t -> !present.contains(t)).sorted().findFirst().orElse("") + " table)");
            }
            return new SqliteLegacyVault(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, db + " cannot be read as a SQLite database: " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    public List<Profile> profiles() {
        List<Profile> out = new ArrayList<>();
        query("SELECT profile_id, key_source, exportable FROM encryption_profiles ORDER BY profile_id", rs -> {
            out.add(new Profile(rs.getString(1), Objects.requireNonNullElse(rs.getString(2), ""), rs.getLong(3) != 0));
        });
        return out;
    }

    @Override
    public void forEachMemory(Consumer<LegacyMemory> sink) {
        Set<String> columns = columns("memories");
        String tomb = columns.contains("tombstoned") ? "tombstoned, tombstoned_at, tombstone_reason" : "0, NULL, NULL";
        query("SELECT memory_id, created_at, created_by, classification, encryption_profile, content_hash, ciphertext, nonce, salt,"
                + " intent_ref, value_metadata, access_policy, " + tomb + " FROM memories ORDER BY created_at, memory_id", rs ->
                sink.accept(new LegacyMemory(text(rs, 1), text(rs, 2), text(rs, 3), rs.getInt(4), text(rs, 5), text(rs, 6),
                        rs.getBytes(7), rs.getBytes(8), rs.getBytes(9), rs.getString(10), rs.getString(11), rs.getString(12),
                        rs.getLong(13) != 0, rs.getString(14), rs.getString(15))));
    }

    @Override
    public long memoryCount() {
        long[] n = {0};
        query("SELECT count(*) FROM memories", rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    @Override
    public List<Recall> recalls() {
        Map<String, String> leaves = new HashMap<>();
        List<String> order = new ArrayList<>();
        query("SELECT request_id, leaf_hash FROM merkle_leaves ORDER BY leaf_id", rs -> {
            leaves.put(rs.getString(1), rs.getString(2));
            order.add(rs.getString(1));
        });
        Map<String, Recall> byId = new HashMap<>();
        List<Recall> unleafed = new ArrayList<>();
        query("SELECT request_id, memory_id, requester, timestamp, approved, justification FROM recall_log ORDER BY timestamp, request_id", rs -> {
            String id = text(rs, 1);
            Recall r = new Recall(id, text(rs, 2), text(rs, 3), text(rs, 4), rs.getLong(5) != 0, rs.getString(6),
                    Optional.ofNullable(leaves.get(id)));
            if (leaves.containsKey(id)) byId.put(id, r);
            else unleafed.add(r);
        });
        List<Recall> out = new ArrayList<>(order.size() + unleafed.size());
        for (String id : order) {
            Recall r = byId.get(id);
            // a leaf whose recall_log row is gone: kept as a recall without a row, which the check refuses
            out.add(r != null ? r : new Recall(id, "", "", "", false, null, Optional.of("missing recall_log row")));
        }
        out.addAll(unleafed);
        return out;
    }

    @Override
    public Optional<Root> newestRoot() {
        List<Root> out = new ArrayList<>();
        query("SELECT seq, root_hash, timestamp, leaf_count, signature FROM merkle_roots ORDER BY seq DESC LIMIT 1", rs ->
                out.add(new Root(rs.getLong(1), text(rs, 2), text(rs, 3), rs.getLong(4), Objects.requireNonNullElse(rs.getString(5), ""))));
        return out.stream().findFirst();
    }

    @Override
    public void close() {
        closeQuietly(c);
    }

    private Set<String> columns(String table) {
        Set<String> out = new java.util.HashSet<>();
        query("SELECT name FROM pragma_table_info('" + table + "')", rs -> out.add(rs.getString(1)));
        return out;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) {
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) row.accept(rs);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "read the legacy vault");
        }
    }

    /** A NOT NULL text column; a NULL there (a damaged row) reads as empty, which the import then refuses for that row. */
    private static String text(ResultSet rs, int i) throws SQLException {
        Object o = rs.getObject(i);
        return o == null ? "" : String.valueOf(o);
    }

    private static void closeQuietly(@Nullable Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // read only: nothing to lose
        }
    }
}
