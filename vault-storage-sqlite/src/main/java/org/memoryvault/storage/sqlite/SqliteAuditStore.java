package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.statement.Query;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.storage.sqlite.internal.StatementCache;

/**
 * The audit log's tables ({@code audit_entries}, {@code audit_nodes}, {@code audit_head},
 * {@code audit_keys}, {@code audit_checkpoints}; schema V2). Calls join the transaction bound to
 * the calling thread by {@link SqliteDatabase#inTransaction}, so an audit entry commits with the
 * change it records. Hashes and public keys are BLOBs here and hex at the port.
 *
 * <p>Security: this adapter checks nothing beyond the schema's constraints; the audit module's
 * verifier re-derives and checks everything it reads. It never stores plaintext or secrets.
 */
final class SqliteAuditStore implements AuditStore {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ENTRY_COLUMNS = "idx, entry, leaf_hash, type, at, requester, memory_id";
    private static final String HEAD = "SELECT size, compact_range FROM audit_head WHERE id = 1";
    private static final String INSERT_ENTRY = "INSERT INTO audit_entries (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String PUT_HEAD = "INSERT INTO audit_head (id, size, compact_range) VALUES (1, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET size = excluded.size, compact_range = excluded.compact_range";
    private static final String INSERT_NODE = "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)";

    private final SqliteDatabase db;

    @Inject
    SqliteAuditStore(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public Head head() {
        return db.readJdbc("read the audit log head", c -> {
            StatementCache cache = db.statements();
            PreparedStatement ps = cache.borrow(c, HEAD);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? head(rs.getLong(1), rs.getBytes(2)) : Head.EMPTY;
            } finally {
                cache.giveBack(c, ps);
            }
        });
    }

    private static Head head(long size, byte[] range) {
        if (range.length % 32 != 0 || range.length / 32 != Long.bitCount(size)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the stored audit log head is malformed", null);
        }
        List<String> hashes = new ArrayList<>(range.length / 32);
        for (int i = 0; i < range.length; i += 32) hashes.add(HEX.formatHex(range, i, i + 32));
        return new Head(size, hashes);
    }

    @Override
    public void append(Entry entry, Head newHead, List<Node> completed) {
        Objects.requireNonNull(entry, "entry");
        appendAll(List.of(entry), newHead, completed);
    }

    @Override
    public void appendAll(List<Entry> entries, Head newHead, List<Node> completed) {
        Objects.requireNonNull(newHead, "newHead");
        byte[] range = new byte[32 * newHead.compactRange().size()];
        for (int i = 0; i < newHead.compactRange().size(); i++) System.arraycopy(hash(newHead.compactRange().get(i)), 0, range, 32 * i, 32);
        String what = entries.isEmpty() ? "append audit entries" : "append audit entry " + entries.get(0).index();
        // Plain JDBC on cached statements: this runs in every store and recall.
        db.writeJdbc(what, c -> {
            StatementCache cache = db.statements();
            if (!entries.isEmpty()) {
                PreparedStatement ps = cache.borrow(c, INSERT_ENTRY);
                try {
                    for (Entry entry : entries) {
                        ps.setLong(1, entry.index());
                        ps.setString(2, entry.text());
                        ps.setBytes(3, hash(entry.leafHash()));
                        ps.setString(4, entry.type());
                        ps.setLong(5, entry.at().toEpochMilli());
                        ps.setString(6, entry.requester().orElse(null));
                        ps.setString(7, entry.memoryId().orElse(null));
                        ps.executeUpdate();
                    }
                } finally {
                    cache.giveBack(c, ps);
                }
            }
            PreparedStatement head = cache.borrow(c, PUT_HEAD);
            try {
                head.setLong(1, newHead.size());
                head.setBytes(2, range);
                head.executeUpdate();
            } finally {
                cache.giveBack(c, head);
            }
            if (!completed.isEmpty()) {
                PreparedStatement node = cache.borrow(c, INSERT_NODE);
                try {
                    for (Node n : completed) {
                        node.setInt(1, n.level());
                        node.setLong(2, n.index());
                        node.setBytes(3, hash(n.hash()));
                        node.executeUpdate();
                    }
                } finally {
                    cache.giveBack(c, node);
                }
            }
            return true;                   // done; the result is not used
        });
    }

    @Override
    public List<Entry> entries(long fromIndex, int limit) {
        return db.read("read audit entries", h -> h.createQuery("SELECT " + ENTRY_COLUMNS
                        + " FROM audit_entries WHERE idx >= :from ORDER BY idx LIMIT :limit")
                .bind("from", fromIndex).bind("limit", limit).map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public List<String> leafHashes(long fromIndex, long toIndex) {
        return db.read("read audit leaf hashes", h -> h.createQuery(
                        "SELECT leaf_hash FROM audit_entries WHERE idx >= :from AND idx < :to ORDER BY idx")
                .bind("from", fromIndex).bind("to", toIndex).map((rs, ctx) -> HEX.formatHex(rs.getBytes(1))).list());
    }

    @Override
    public List<Node> nodes(int level, long fromIndex, long toIndex) {
        return db.read("read audit tree hashes", h -> h.createQuery(
                        "SELECT level, idx, hash FROM audit_nodes WHERE level = :level AND idx >= :from AND idx < :to ORDER BY idx")
                .bind("level", level).bind("from", fromIndex).bind("to", toIndex)
                .map((rs, ctx) -> new Node(rs.getInt(1), rs.getLong(2), HEX.formatHex(rs.getBytes(3)))).list());
    }

    @Override
    public List<Entry> find(Optional<String> memoryId, Optional<String> type, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM audit_entries WHERE 1 = 1");
        memoryId.ifPresent(m -> sql.append(" AND memory_id = :memory_id"));
        type.ifPresent(t -> sql.append(" AND type = :type"));
        sql.append(" ORDER BY idx DESC LIMIT :limit");
        List<Entry> newestFirst = db.read("list audit entries", h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", limit);
            memoryId.ifPresent(m -> q.bind("memory_id", m));
            type.ifPresent(t -> q.bind("type", t));
            return q.map((rs, ctx) -> entry(rs)).list();
        });
        List<Entry> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    /**
     * Counts through an index for refused recalls (the anomaly rule's question), whose type the
     * statement names literally so that SQLite can use the partial index of schema V2; other types
     * scan their entries in (type, idx) order.
     */
    @Override
    public long count(String type, Optional<String> requester, Instant since) {
        String sql = countSql(type, requester.isPresent());
        return db.read("count audit entries", h -> {
            Query q = h.createQuery(sql).bind("since", since.toEpochMilli());
            if (!type.equals(AuditEvent.RECALL_REFUSED)) q.bind("type", type);
            requester.ifPresent(r -> q.bind("requester", r));
            return q.mapTo(Long.class).one();
        });
    }

    /** The statement {@link #count} runs (the refusal type is a constant without quotes). */
    static String countSql(String type, boolean byRequester) {
        return (type.equals(AuditEvent.RECALL_REFUSED)
                // INDEXED BY: without statistics SQLite would rather walk (type, idx), all refusals ever.
                ? "SELECT count(*) FROM audit_entries INDEXED BY audit_entries_refused_by_time WHERE type = '"
                        + AuditEvent.RECALL_REFUSED + "' AND at >= :since"
                : "SELECT count(*) FROM audit_entries WHERE type = :type AND at >= :since")
                + (byRequester ? " AND requester = :requester" : "");
    }

    @Override
    public void addCheckpoint(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        db.write("keep an audit checkpoint", h -> h.createUpdate(
                        "INSERT INTO audit_checkpoints (tree_size, epoch, note, created_at) VALUES (:size, :epoch, :note, :at)")
                .bind("size", checkpoint.treeSize()).bind("epoch", checkpoint.epoch()).bind("note", checkpoint.note())
                .bind("at", checkpoint.createdAt().toEpochMilli()).execute());
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return db.read("read the latest audit checkpoint", h -> h.createQuery(
                        "SELECT tree_size, epoch, note, created_at FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
                .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getInt(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))))
                .findOne());
    }

    @Override
    public List<Checkpoint> checkpoints(long afterTreeSize, int limit) {
        return db.read("read audit checkpoints", h -> h.createQuery("SELECT tree_size, epoch, note, created_at FROM audit_checkpoints "
                        + "WHERE tree_size > :after ORDER BY tree_size LIMIT :limit")
                .bind("after", afterTreeSize).bind("limit", limit)
                .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getInt(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))))
                .list());
    }

    @Override
    public List<SigningKey> keys() {
        return db.read("read the audit signing keys", h -> h.createQuery(
                        "SELECT epoch, key_id, public_key, created_at, revoked_at_index FROM audit_keys ORDER BY epoch")
                .map((rs, ctx) -> {
                    long revoked = rs.getLong(5);
                    OptionalLong revokedAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(revoked);
                    return new SigningKey(rs.getInt(1), rs.getString(2), HEX.formatHex(rs.getBytes(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), revokedAt);
                }).list());
    }

    @Override
    public void addKey(SigningKey key) {
        Objects.requireNonNull(key, "key");
        db.write("record audit signing key epoch " + key.epoch(), h -> h.createUpdate(
                        "INSERT INTO audit_keys (epoch, key_id, public_key, created_at, revoked_at_index) "
                                + "VALUES (:epoch, :key_id, :public_key, :at, :revoked)")
                .bind("epoch", key.epoch()).bind("key_id", key.keyId()).bind("public_key", hash(key.publicKey()))
                .bind("at", key.createdAt().toEpochMilli())
                .bind("revoked", key.revokedAtIndex().isPresent() ? Long.valueOf(key.revokedAtIndex().getAsLong()) : null)
                .execute());
    }

    @Override
    public void revokeKey(int epoch, long atIndex) {
        int rows = db.write("revoke audit signing key epoch " + epoch, h -> h.createUpdate(
                        "UPDATE audit_keys SET revoked_at_index = :at WHERE epoch = :epoch AND revoked_at_index IS NULL")
                .bind("at", atIndex).bind("epoch", epoch).execute());
        if (rows != 1) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "audit signing key epoch " + epoch + " is not an active key", null);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getString(2), HEX.formatHex(rs.getBytes(3)), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)));
    }

    /** 64 hex digits to 32 bytes; the audit module only passes well-formed hashes and keys. */
    private static byte[] hash(String hex) {
        if (hex.length() != 64) throw new IllegalArgumentException("a hash or key is 64 hex digits");
        return HEX.parseHex(hex);
    }
}
