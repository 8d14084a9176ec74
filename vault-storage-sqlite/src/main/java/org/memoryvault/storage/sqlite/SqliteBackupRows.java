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
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.BackupRecord;
import org.memoryvault.domain.model.TableSummary;
import org.memoryvault.domain.port.BackupRows;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;

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
            "audit_nodes", "audit_head", "audit_checkpoints", "owner_seals", "rekeys", "escrows", "escrow_shares",
            "dms_state", "dms_heirs");

    private final SqliteDatabase db;
    private final Map<String, List<String>> keys = new java.util.concurrent.ConcurrentHashMap<>();

    SqliteBackupRows(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override public int schemaVersion() { return db.schemaVersion(); }

    @Override
    public Exported export(java.util.function.Supplier<List<BackupRecord>> files, java.util.OptionalLong since, Consumer<BackupRecord> sink) {
        List<List<BackupRecord>> read = new ArrayList<>();
        return db.snapshotTakenUnderWriteLock(() -> read.add(files.get()), c -> {
            read.get(0).forEach(sink);
            long reached = changeSeq(c);
            long n = 0;
            if (since.isPresent()) {
                if (since.getAsLong() > reached) {
                    throw new InvalidInputException(ErrorCode.INPUT_STATE, "the parent backup is ahead of this database's changes"
                            + " (the database was replaced): make a full backup");
                }
                List<String> reversed = new ArrayList<>(TABLES);
                java.util.Collections.reverse(reversed);
                for (String table : reversed) n += deletions(c, table, since.getAsLong(), sink);
            }
            for (String table : TABLES) {
                String query = since.isEmpty() ? "SELECT * FROM " + table
                        : "SELECT t.* FROM changes c JOIN " + table + " t ON " + keyMatch(c, table) + " WHERE c.tbl = '" + table
                          + "' AND c.seq > " + since.getAsLong() + " ORDER BY " + String.join(", ", qualified(keyColumns(c, table)));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
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
            return new Exported(n, reached, summaries(c));
        });
    }

    /** Deletion records for the keys of {@code table} changed after {@code since} that no longer have a row. */
    private long deletions(Connection c, String table, long since, Consumer<BackupRecord> sink) throws SQLException {
        int width = keyColumns(c, table).size();
        long n = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT c.k1, c.k2 FROM changes c WHERE c.tbl = '" + table
                + "' AND c.seq > " + since + " AND NOT EXISTS (SELECT 1 FROM " + table + " t WHERE " + keyMatch(c, table)
                + ") ORDER BY c.k1, c.k2")) {
            while (rs.next()) {
                List<@Nullable Object> key = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) key.add(Objects.requireNonNull(value(rs, i)));
                sink.accept(BackupRecord.deletion(table, key));
                n++;
            }
        }
        return n;
    }

    /** The join of {@code changes c} to {@code table t} on the row key. */
    private String keyMatch(Connection c, String table) throws SQLException {
        List<String> key = keyColumns(c, table);
        return "t." + key.get(0) + " = c.k1" + (key.size() > 1 ? " AND t." + key.get(1) + " = c.k2" : "");
    }

    private static List<String> qualified(List<String> columns) {
        return columns.stream().map(k -> "t." + k).toList();
    }

    /** A table's primary-key columns, in key order (one or two for every table a backup carries). */
    private List<String> keyColumns(Connection c, String table) throws SQLException {
        List<String> cached = keys.get(table);
        if (cached != null) return cached;
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0 ORDER BY pk")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        if (out.isEmpty() || out.size() > 2) throw new IllegalStateException(table + " has no one- or two-column key");
        keys.put(table, List.copyOf(out));
        return out;
    }

    private static long changeSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM changes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each table's row count and key digest ({@link TableSummary}); memories by id and seq, in id order (the unique index, not the rows). */
    private Map<String, TableSummary> summaries(Connection c) throws SQLException {
        Map<String, TableSummary> out = new java.util.LinkedHashMap<>();
        for (String table : TABLES) {
            List<String> key = table.equals("memories") ? List.of("id", "seq") : keyColumns(c, table);
            TableSummary.Digest d = TableSummary.of(table);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + String.join(", ", key) + " FROM " + table + " ORDER BY " + String.join(", ", key))) {
                while (rs.next()) {
                    List<@Nullable Object> values = new ArrayList<>(key.size());
                    for (int i = 1; i <= key.size(); i++) values.add(value(rs, i));
                    d.add(values);
                }
            }
            out.put(table, d.finish());
        }
        return out;
    }

    @Override
    public Map<String, TableSummary> tables() {
        return db.readJdbc("summarise the vault's tables", this::summaries);
    }

    @Override
    public long changeSeq() {
        return db.readJdbc("read the change sequence", SqliteBackupRows::changeSeq);
    }

    @Override
    public java.util.Optional<ChainPoint> chainPoint() {
        return db.read("read the newest backup", h -> h.createQuery("SELECT backup_id, lower(hex(sha256)) AS hash, change_seq,"
                        + " lower(hex(signature)) AS signature FROM backup_chain WHERE id = 1")
                .map((rs, ctx) -> new ChainPoint(rs.getString("backup_id"), rs.getString("hash"), rs.getLong("change_seq"),
                        rs.getString("signature"))).findOne());
    }

    @Override
    public void setChainPoint(ChainPoint point, java.time.Instant at) {
        db.writeJdbc("record the newest backup", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO backup_chain (id, backup_id, sha256, change_seq, signature, at)"
                    + " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET backup_id = excluded.backup_id, sha256 = excluded.sha256,"
                    + " change_seq = excluded.change_seq, signature = excluded.signature, at = excluded.at")) {
                p.setString(1, point.backupId());
                p.setBytes(2, java.util.HexFormat.of().parseHex(point.sha256Hex()));
                p.setLong(3, point.changeSeq());
                p.setBytes(4, java.util.HexFormat.of().parseHex(point.signatureHex()));
                p.setLong(5, at.toEpochMilli());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public MergeReport merge(BackupRows other, Instant expiredBefore, Prefer prefer) {
        if (!(other instanceof SqliteBackupRows restored)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a backup merges only into a vault of the same storage backend");
        }
        // the connection of the caller's snapshot on the copy (where its owner seal was checked), never the file opened again by
        // name: a process of the same user could have put another file there; every read of the copy below is on it
        if (!restored.db.inTransactionOnThisThread()) {
            throw new IllegalStateException("a merge reads the copy in the snapshot its owner seal was checked in (Transactions.inSnapshot)");
        }
        return restored.db.readJdbc("read the restored backup", theirs -> {
            requireSameTables(theirs);
            return db.inTransaction(() -> db.writeJdbc("merge a backup's memories", ours -> merge(ours, theirs, prefer, expiredBefore)));
        });
    }

    /** The copy's definitions of the tables a merge reads must be this database's: a column renamed there would misplace values. */
    private void requireSameTables(Connection theirs) throws SQLException {
        Map<String, String> mine = db.readJdbc("read the schema", SqliteBackupRows::tableDefinitions);
        if (!tableDefinitions(theirs).equals(mine)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the restored copy of the backup has other table definitions"
                    + " than this vault (it was changed beside the vault); nothing was merged", null);
        }
    }

    private static Map<String, String> tableDefinitions(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_schema WHERE type = 'table'"
                + " AND name IN ('memories', 'recalls', 'intent_links', 'profiles', 'level5_bindings')")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    private MergeReport merge(Connection ours, Connection theirs, Prefer prefer, Instant expiredBefore) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement s = ours.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('memories') ORDER BY cid")) {
            while (rs.next()) if (!rs.getString(1).equals("seq")) columns.add(rs.getString(1));
        }
        Map<String, String> profilesHere = profileKeys(ours);
        Map<String, String> profilesThere = profileKeys(theirs);
        Map<String, String> bindingsHere = bindings(ours);
        Map<String, String> bindingsThere = bindings(theirs);
        String list = String.join(", ", columns);
        long inserted = 0, identical = 0, conflicting = 0, replaced = 0, incompatible = 0;
        List<String> conflicts = new ArrayList<>();
        List<String> brought = new ArrayList<>();        // memories here now whose recalls and links the copy may add to
        try (PreparedStatement find = ours.prepareStatement("SELECT " + list + " FROM memories WHERE id = ?");
             PreparedStatement insert = ours.prepareStatement("INSERT INTO memories (" + list + ") VALUES ("
                     + "?, ".repeat(columns.size() - 1) + "?)");
             PreparedStatement update = ours.prepareStatement("UPDATE memories SET " + String.join(", ",
                     columns.stream().filter(col -> !col.equals("id")).map(col -> col + " = ?").toList()) + " WHERE id = ?");
             Statement s = theirs.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + list + " FROM memories ORDER BY id")) {
            int idColumn = columns.indexOf("id") + 1;
            int profileColumn = columns.indexOf("profile_id") + 1;
            int recalledColumn = columns.indexOf("last_recalled_at");
            int versionColumn = columns.indexOf("key_version");
            int levelColumn = columns.indexOf("classification");
            int createdColumn = columns.indexOf("created_at");
            while (rs.next()) {
                String id = rs.getString(idColumn);
                String profile = rs.getString(profileColumn);
                List<@Nullable Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) row.add(value(rs, i));
                String keys = profilesThere.get(profile);
                long level = ((Number) Objects.requireNonNull(row.get(levelColumn))).longValue();
                boolean opens = keys != null && keys.equals(profilesHere.get(profile))
                        && keys.startsWith(row.get(versionColumn) + "/")
                        && (level < 5 || Objects.equals(bindingsThere.get(profile), bindingsHere.get(profile)));
                if (!opens) {
                    incompatible++;        // its profile was re-keyed (or its level 5 bound) here since, or it is mid re-key: no key here opens it
                    continue;
                }
                find.setString(1, id);
                List<@Nullable Object> mine = null;
                try (ResultSet here = find.executeQuery()) {
                    if (here.next()) {
                        mine = new ArrayList<>(columns.size());
                        for (int i = 1; i <= columns.size(); i++) mine.add(value(here, i));
                    }
                }
                if (mine == null && level == 0
                        && ((Number) Objects.requireNonNull(row.get(createdColumn))).longValue() < expiredBefore.toEpochMilli()) {
                    continue;              // an expired level-0 memory, purged here or due to be: not brought back
                }
                if (mine == null) {
                    bind(insert, row);
                    insert.executeUpdate();
                    inserted++;
                    brought.add(id);
                    continue;
                }
                // the later recall time wins on either side: a cooldown never starts earlier by a merge
                Object later = later(mine.get(recalledColumn), row.get(recalledColumn));
                row.set(recalledColumn, later);
                boolean recallOnly = !Objects.equals(mine.get(recalledColumn), later);
                mine.set(recalledColumn, later);
                brought.add(id);
                if (sameValues(mine, row)) {
                    identical++;
                    if (recallOnly) {
                        try (PreparedStatement p = ours.prepareStatement("UPDATE memories SET last_recalled_at = ? WHERE id = ?")) {
                            bind(p, java.util.Arrays.asList(later, id));
                            p.executeUpdate();
                        }
                    }
                } else {
                    conflicting++;
                    if (conflicts.size() < 100) conflicts.add(id);
                    if (prefer == Prefer.BACKUP) {
                        List<@Nullable Object> values = new ArrayList<>();
                        for (int i = 0; i < columns.size(); i++) if (i != idColumn - 1) values.add(row.get(i));
                        values.add(id);
                        bind(update, values);
                        update.executeUpdate();
                        replaced++;
                    }
                }
            }
        }
        if (conflicting > 0 && prefer == Prefer.NONE) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, conflicting + " memories differ between the backup and this vault"
                    + " (" + String.join(", ", conflicts.subList(0, Math.min(5, conflicts.size()))) + (conflicting > 5 ? ", ..." : "")
                    + "): nothing was merged; choose with --prefer vault (keep this vault's) or --prefer backup (take the backup's)");
        }
        long recalls = 0, links = 0;
        try (PreparedStatement theirRecalls = theirs.prepareStatement("SELECT at, requester, justification FROM recalls WHERE memory_id = ?");
             PreparedStatement have = ours.prepareStatement("SELECT 1 FROM recalls WHERE memory_id = ? AND at = ? AND requester = ? AND justification = ?");
             PreparedStatement addRecall = ours.prepareStatement("INSERT INTO recalls (memory_id, at, requester, justification) VALUES (?, ?, ?, ?)");
             PreparedStatement theirLinks = theirs.prepareStatement("SELECT intent, linked_at, linked_by FROM intent_links WHERE memory_id = ?");
             PreparedStatement addLink = ours.prepareStatement("INSERT INTO intent_links (memory_id, intent, linked_at, linked_by)"
                     + " VALUES (?, ?, ?, ?) ON CONFLICT (memory_id, intent) DO NOTHING")) {
            for (String id : brought) {
                theirRecalls.setString(1, id);
                try (ResultSet r = theirRecalls.executeQuery()) {
                    while (r.next()) {
                        have.setString(1, id);
                        have.setLong(2, r.getLong(1));
                        have.setString(3, r.getString(2));
                        have.setString(4, r.getString(3));
                        try (ResultSet h = have.executeQuery()) {
                            if (h.next()) continue;
                        }
                        addRecall.setString(1, id);
                        addRecall.setLong(2, r.getLong(1));
                        addRecall.setString(3, r.getString(2));
                        addRecall.setString(4, r.getString(3));
                        recalls += addRecall.executeUpdate();
                    }
                }
                theirLinks.setString(1, id);
                try (ResultSet l = theirLinks.executeQuery()) {
                    while (l.next()) {
                        addLink.setString(1, id);
                        addLink.setString(2, l.getString(1));
                        addLink.setLong(3, l.getLong(2));
                        addLink.setString(4, l.getString(3));
                        links += addLink.executeUpdate();
                    }
                }
            }
        }
        if (!brought.isEmpty()) rebuildSearch(ours);
        return new MergeReport(inserted, identical, conflicting, conflicts, replaced, incompatible, recalls, links);
    }

    /** Each profile's key version and public keys, as text: a memory opens here only if its profile's are the same. */
    private static Map<String, String> profileKeys(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, key_version || '/' || coalesce(hex(tier_public_keys), '') FROM profiles")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /** Each bound profile's level-5 binding: a level-5 memory opens here only under the same one. */
    private static Map<String, String> bindings(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT profile_id, hex(binding_mac) FROM level5_bindings")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    private static @Nullable Object later(@Nullable Object a, @Nullable Object b) {
        if (a == null) return b;
        if (b == null) return a;
        return ((Number) a).longValue() >= ((Number) b).longValue() ? a : b;
    }

    private static boolean sameValues(List<@Nullable Object> a, List<@Nullable Object> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof byte[] xb && y instanceof byte[] yb ? !java.util.Arrays.equals(xb, yb) : !Objects.equals(x, y)) return false;
        }
        return true;
    }

    private static void bind(PreparedStatement p, List<@Nullable Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) p.setNull(i + 1, Types.NULL);
            else p.setObject(i + 1, v);
        }
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
                    if (r.kind() != BackupRecord.Kind.ROW) throw tampered("a deletion in a full backup");
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
                    bind(insert, values);
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
            rebuildSearch(c);
            return n;
        }));
    }

    @Override
    public long applyChanges(Iterator<BackupRecord> changes) {
        return db.inTransaction(() -> db.writeJdbc("apply an incremental backup", c -> {
            // keys are reused (a purged memory's seq, a deleted recall's id): a child row may point at the parent's old id until
            // its own record comes, so foreign keys are checked when the transaction commits, once every record is applied
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA defer_foreign_keys = ON");
            }
            Map<String, PreparedStatement> statements = new HashMap<>();
            long n = 0;
            try {
                while (changes.hasNext()) {
                    BackupRecord r = changes.next();
                    if (!TABLES.contains(r.name())) throw tampered("a record of an unknown table");
                    boolean delete = r.kind() == BackupRecord.Kind.DELETE;
                    List<String> key = keyColumns(c, r.name());
                    int width = delete ? key.size() : columns(c, r.name());
                    PreparedStatement p = statements.get((delete ? "-" : "+") + r.name());
                    if (p == null) {
                        p = c.prepareStatement(delete ? deleteSql(r.name(), key) : upsertSql(c, r.name(), key));
                        statements.put((delete ? "-" : "+") + r.name(), p);
                    }
                    List<@Nullable Object> values = r.values();
                    if (values.size() != width) throw tampered("a record of " + r.name() + " with " + values.size() + " values");
                    bind(p, values);
                    try {
                        p.executeUpdate();
                    } catch (SQLException e) {
                        throw tampered("a record of " + r.name() + " the schema refuses (" + e.getMessage() + ")");
                    }
                    n++;
                }
            } finally {
                for (PreparedStatement p : statements.values()) p.close();
            }
            rebuildSearch(c);
            return n;
        }));
    }

    private static String deleteSql(String table, List<String> key) {
        return "DELETE FROM " + table + " WHERE " + String.join(" AND ", key.stream().map(k -> k + " = ?").toList());
    }

    /** Inserts a row, or, when its key exists, sets every column to the row's (no delete: no cascade to other tables). */
    private static String upsertSql(Connection c, String table, List<String> key) throws SQLException {
        List<String> all = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid")) {
            while (rs.next()) all.add(rs.getString(1));
        }
        List<String> set = all.stream().filter(col -> !key.contains(col)).map(col -> col + " = excluded." + col).toList();
        return "INSERT INTO " + table + " VALUES (" + "?, ".repeat(all.size() - 1) + "?) ON CONFLICT (" + String.join(", ", key) + ") DO "
                + (set.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", set));
    }

    private static void rebuildSearch(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO memory_search (memory_search) VALUES ('rebuild')");
            s.execute("INSERT INTO recall_search (recall_search) VALUES ('rebuild')");
        }
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
