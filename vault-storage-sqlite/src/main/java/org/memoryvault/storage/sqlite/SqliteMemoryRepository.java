package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.storage.sqlite.internal.JsonStringArray;
import org.memoryvault.storage.sqlite.internal.MatchExpression;
import org.memoryvault.storage.sqlite.internal.MemoryRows;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;
import org.memoryvault.storage.sqlite.internal.StatementCache;
import org.sqlite.SQLiteErrorCode;

/**
 * Memories in the {@code memories} table; their metadata and recall justifications are kept
 * searchable by FTS5 triggers in the same transaction. Times are stored as epoch milliseconds, so
 * instants come back truncated to the millisecond.
 *
 * <p>Security: a shred sets nonce and ciphertext to NULL with {@code secure_delete} on, and after
 * the commit checkpoints and truncates the WAL so the old ciphertext does not linger there.
 */
final class SqliteMemoryRepository implements MemoryRepository {
    // Positional: insert() binds it with plain JDBC on a cached statement (the hot path of every store).
    // search_text is computed here from parameter 8 (metadata), exactly as V1__core.sql's
    // memories_search_text_update trigger does: object keys and string values, in document order.
    private static final String INSERT = "INSERT INTO memories (id, created_at, created_by, classification, profile_id, "
            + "key_version, cooldown_seconds, metadata, intent_refs, commitment, nonce, ciphertext, tombstoned_at, "
            + "tombstone_reason, tombstone_by, shredded, last_recalled_at, wrapped_key, search_text) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "(SELECT coalesce(group_concat(piece, ' '), '') FROM (SELECT CASE "
            + "WHEN typeof(key) = 'text' AND type = 'text' THEN key || ' ' || atom "
            + "WHEN typeof(key) = 'text' THEN key WHEN type = 'text' THEN atom END AS piece "
            // Invalid JSON indexes nothing, so that the CHECK on metadata is what refuses the row.
            + "FROM json_tree(CASE WHEN json_valid(?8) THEN ?8 ELSE '{}' END))))";
    // Indexes the row just inserted (V1__core.sql says why this is not a trigger).
    private static final String INDEX_INSERTED = "INSERT INTO memory_search (rowid, search_text) "
            + "VALUES (last_insert_rowid(), (SELECT search_text FROM memories WHERE seq = last_insert_rowid()))";
    private static final String FIND = "SELECT " + MemoryRows.COLUMNS + " FROM memories WHERE id = ?";
    // Records only if not tombstoned and the stored cooldown has passed (the port's compare-and-set).
    // Without a cooldown, any recall is allowed, also one whose clock reading is older than a concurrent recall that committed
    // first (two callers of one long-running process); last_recalled_at never goes back.
    private static final String RECALLED = "UPDATE memories SET last_recalled_at = max(coalesce(last_recalled_at, ?1), ?1) "
            + "WHERE id = ?2 AND tombstoned_at IS NULL "
            + "AND (last_recalled_at IS NULL OR cooldown_seconds = 0 OR last_recalled_at + cooldown_seconds * 1000 <= ?1)";
    private static final String INSERT_RECALL = "INSERT INTO recalls (memory_id, at, requester, justification) VALUES (?, ?, ?, ?)";
    private static final String LIST = "SELECT " + MemoryRows.COLUMNS + " FROM memories";
    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, seq DESC LIMIT :limit";

    // One hit per memory, its best; bm25() is smaller for better matches. Snippets mark the matched
    // words with [ ] and cut long text with "...".
    private static final String SEARCH_METADATA =
            "SELECT m.id AS id, 'metadata' AS matched_in, snippet(memory_search, 0, '[', ']', '...', 12) AS snippet, "
            + "bm25(memory_search) AS score FROM memory_search JOIN memories m ON m.seq = memory_search.rowid "
            + "WHERE memory_search MATCH :match AND m.tombstoned_at IS NULL";
    private static final String SEARCH_JUSTIFICATIONS =
            "SELECT m.id AS id, 'justification' AS matched_in, snippet(recall_search, 0, '[', ']', '...', 12) AS snippet, "
            + "bm25(recall_search) AS score FROM recall_search JOIN recalls r ON r.id = recall_search.rowid "
            + "JOIN memories m ON m.id = r.memory_id WHERE recall_search MATCH :match AND m.tombstoned_at IS NULL";
    private static final String BEST_PER_MEMORY_HEAD = "SELECT id, matched_in, snippet FROM (SELECT id, matched_in, "
            + "snippet, score, row_number() OVER (PARTITION BY id ORDER BY score, matched_in DESC) AS n FROM (";
    private static final String BEST_PER_MEMORY_TAIL = ")) WHERE n = 1 ORDER BY score, id LIMIT :limit";

    private final SqliteDatabase db;

    @Inject
    SqliteMemoryRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void insert(Memory memory) {
        Objects.requireNonNull(memory, "memory");
        Duration cooldown = memory.policy().cooldown().length();
        if (cooldown.getNano() != 0) {
            throw new InvalidInputException(ErrorCode.INPUT_DURATION, "a cooldown must be a whole number of seconds");
        }
        Optional<Tombstone> tombstone = memory.tombstone();
        boolean shredded = tombstone.map(Tombstone::shredded).orElse(false);
        Optional<SealedContent> sealed = shredded ? Optional.empty() : memory.sealed();
        String action = "store memory " + memory.id();
        db.writeJdbc(action, c -> {
            StatementCache cache = db.statements();
            try {
                PreparedStatement ps = cache.borrow(c, INSERT);
                try {
                    ps.setString(1, memory.id().toString());
                    ps.setLong(2, memory.createdAt().toEpochMilli());
                    ps.setString(3, memory.createdBy());
                    ps.setInt(4, memory.classification().level());
                    ps.setString(5, memory.profile().value());
                    ps.setInt(6, memory.keyVersion());
                    ps.setLong(7, cooldown.getSeconds());
                    ps.setString(8, memory.metadata().json());
                    ps.setString(9, JsonStringArray.encode(memory.intentRefs()));
                    ps.setString(10, memory.commitment().hex());
                    ps.setBytes(11, sealed.map(SealedContent::nonce).orElse(null));
                    ps.setBytes(12, sealed.map(SealedContent::ciphertext).orElse(null));
                    setLong(ps, 13, tombstone.map(t -> t.at().toEpochMilli()));
                    ps.setString(14, tombstone.map(Tombstone::reason).orElse(null));
                    ps.setString(15, tombstone.map(Tombstone::by).orElse(null));
                    ps.setInt(16, shredded ? 1 : 0);
                    setLong(ps, 17, memory.lastRecalledAt().map(Instant::toEpochMilli));
                    byte[] wrapped = sealed.map(SealedContent::wrappedKey).orElse(new byte[0]);
                    ps.setBytes(18, wrapped.length == 0 ? null : wrapped);
                    ps.executeUpdate();
                } finally {
                    cache.giveBack(c, ps);
                }
                PreparedStatement index = cache.borrow(c, INDEX_INSERTED);
                try {
                    index.executeUpdate();
                } finally {
                    cache.giveBack(c, index);
                }
            } catch (SQLException e) {
                if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a memory with id " + memory.id() + " exists");
                }
                if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY)) {
                    throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + memory.profile());
                }
                if (SqliteErrors.isCheck(e, "metadata_is_json")) {
                    throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata must be a valid JSON object");
                }
                throw SqliteErrors.translate(e, action);
            }
            return true;                   // done; the result is not used
        });
    }

    private static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) ps.setLong(index, value.get()); else ps.setNull(index, Types.INTEGER);
    }

    @Override
    public Optional<Memory> find(MemoryId id) {
        Objects.requireNonNull(id, "id");
        return db.readJdbc("read memory " + id, c -> {
            StatementCache cache = db.statements();
            PreparedStatement ps = cache.borrow(c, FIND);
            try {
                ps.setString(1, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(MemoryRows.read(rs)) : Optional.<Memory>empty();
                }
            } finally {
                cache.giveBack(c, ps);
            }
        });
    }

    @Override
    public List<Memory> list(MemoryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        String where;
        if (filter.classification().isPresent()) {
            where = filter.includeTombstoned() ? " WHERE classification = :level"
                    : " WHERE classification = :level AND tombstoned_at IS NULL";
        } else {
            where = filter.includeTombstoned() ? "" : " WHERE tombstoned_at IS NULL";
        }
        return db.read("list memories", h -> {
            var q = h.createQuery(LIST + where + NEWEST_FIRST).bind("limit", filter.limit());
            filter.classification().ifPresent(c -> q.bind("level", c.level()));
            return q.map(MemoryRows.INSTANCE).list();
        });
    }

    @Override
    public List<SearchHit> search(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        Optional<String> match = MatchExpression.of(query);
        if (match.isEmpty()) return List.of();
        String sql = BEST_PER_MEMORY_HEAD + SEARCH_METADATA
                + (query.includeJustifications() ? " UNION ALL " + SEARCH_JUSTIFICATIONS : "") + BEST_PER_MEMORY_TAIL;
        return db.read("search memories", h -> h.createQuery(sql)
                .bind("match", match.get())
                .bind("limit", query.limit())
                .map((rs, ctx) -> new SearchHit(MemoryId.parse(rs.getString("id")), rs.getString("matched_in"),
                        Objects.requireNonNullElse(rs.getString("snippet"), "")))
                .list());
    }

    @Override
    public boolean recordRecall(MemoryId id, Instant at, String requester, String justification) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(justification, "justification");
        String memoryId = id.toString();
        long atMillis = at.toEpochMilli();
        return db.writeJdbc("record a recall of memory " + id, c -> {
            StatementCache cache = db.statements();
            PreparedStatement update = cache.borrow(c, RECALLED);
            int changed;
            try {
                update.setLong(1, atMillis);
                update.setString(2, memoryId);
                changed = update.executeUpdate();
            } finally {
                cache.giveBack(c, update);
            }
            if (changed == 0) {
                if (find(id).isEmpty()) throw notFound(id);
                return false;
            }
            PreparedStatement insert = cache.borrow(c, INSERT_RECALL);
            try {
                insert.setString(1, memoryId);
                insert.setLong(2, atMillis);
                insert.setString(3, requester);
                insert.setString(4, justification);
                insert.executeUpdate();
            } finally {
                cache.giveBack(c, insert);
            }
            return true;
        });
    }

    @Override
    public void reseal(MemoryId id, SealedContent sealed, ContentCommitment commitment) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(commitment, "commitment");
        byte[] wrapped = sealed.wrappedKey();
        int changed = db.write("re-seal memory " + id, h -> h.createUpdate("UPDATE memories SET nonce = :nonce, ciphertext = :ct, "
                        + "wrapped_key = :wrapped, commitment = :commitment WHERE id = :id AND shredded = 0")
                .bind("nonce", sealed.nonce()).bind("ct", sealed.ciphertext()).bind("wrapped", wrapped.length == 0 ? null : wrapped)
                .bind("commitment", commitment.hex()).bind("id", id.toString()).execute());
        if (changed == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no live memory with id " + id);
    }

    @Override
    public boolean rekey(MemoryId id, int fromVersion, int keyVersion, SealedContent sealed, ContentCommitment commitment) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(commitment, "commitment");
        byte[] wrapped = sealed.wrappedKey();
        int changed = db.write("re-key memory " + id, h -> h.createUpdate("UPDATE memories SET key_version = :v, nonce = :nonce, "
                        + "ciphertext = :ct, wrapped_key = :wrapped, commitment = :commitment WHERE id = :id AND shredded = 0"
                        + " AND key_version = :from")
                .bind("v", keyVersion).bind("from", fromVersion).bind("nonce", sealed.nonce()).bind("ct", sealed.ciphertext())
                .bind("wrapped", wrapped.length == 0 ? null : wrapped).bind("commitment", commitment.hex()).bind("id", id.toString())
                .execute());
        return changed == 1;
    }

    @Override
    public void tombstone(MemoryId id, Tombstone tombstone) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tombstone, "tombstone");
        // Shredding is for good: a later tombstone without shred does not bring "shredded" back to 0.
        db.write("tombstone memory " + id, h -> {
            int changed = h.createUpdate("UPDATE memories SET tombstoned_at = :at, tombstone_reason = :reason, "
                            + "tombstone_by = :by, shredded = max(shredded, :shred), "
                            + "nonce = CASE WHEN :shred = 1 THEN NULL ELSE nonce END, "
                            + "wrapped_key = CASE WHEN :shred = 1 THEN NULL ELSE wrapped_key END, "
                            + "commitment = CASE WHEN :shred = 1 THEN :shredded_commitment ELSE commitment END, "
                            + "ciphertext = CASE WHEN :shred = 1 THEN NULL ELSE ciphertext END WHERE id = :id")
                    .bind("at", tombstone.at().toEpochMilli()).bind("reason", tombstone.reason())
                    .bind("by", tombstone.by()).bind("shred", tombstone.shredded() ? 1 : 0).bind("id", id.toString())
                    .bind("shredded_commitment", ContentCommitment.SHREDDED.hex())
                    .execute();
            if (changed == 0) throw notFound(id);
            if (tombstone.shredded()) db.afterCommit(db.truncateWal());
            return null;
        });
    }

    @Override
    public List<MemoryId> purgeEphemeral(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return db.write("purge ephemeral memories", h -> {
            List<MemoryId> ids = h.createQuery("SELECT id FROM memories WHERE classification = 0 AND created_at < :cutoff "
                            + "ORDER BY created_at, seq")
                    .bind("cutoff", ceilMillis(cutoff))
                    .map((rs, ctx) -> MemoryId.parse(rs.getString(1))).list();
            if (ids.isEmpty()) return ids;
            h.createUpdate("DELETE FROM memories WHERE classification = 0 AND created_at < :cutoff")
                    .bind("cutoff", ceilMillis(cutoff)).execute();
            db.afterCommit(db.truncateWal());
            return ids;
        });
    }

    @Override
    public List<Memory> page(Optional<MemoryId> after, int limit) {
        if (limit < 1) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "page size must be positive");
        return db.read("read a page of memories", h -> h.createQuery("SELECT " + MemoryRows.COLUMNS
                        + " FROM memories WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", after.map(MemoryId::toString).orElse("")).bind("limit", limit)
                .map(MemoryRows.INSTANCE).list());
    }

    @Override
    public long count() {
        return db.read("count memories", h -> h.createQuery("SELECT count(*) FROM memories").mapTo(Long.class).one());
    }

    private static NotFoundException notFound(MemoryId id) {
        return new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + id);
    }

    /** Epoch milliseconds, rounded up: created_at (whole ms) is before {@code t} iff it is before this. */
    private static long ceilMillis(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.MILLIS);
        return floor.equals(t) ? floor.toEpochMilli() : floor.toEpochMilli() + 1;
    }
}
