package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.ApprovalRepository;

/** Approval requests in {@code approvals} (schema V3). Joins the thread's transaction when there is one. */
final class SqliteApprovalRepository implements ApprovalRepository {
    private static final String COLUMNS =
            "id, memory_id, requester, justification, requested_at, expires_at, status, decided_by, decided_at, reason, released_key";

    private final SqliteDatabase db;

    @Inject
    SqliteApprovalRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void insert(Approval a) {
        db.write("file approval " + a.id(), h -> h.createUpdate("INSERT INTO approvals (" + COLUMNS + ") VALUES "
                        + "(:id, :memory_id, :requester, :justification, :requested_at, :expires_at, :status, :decided_by, :decided_at, :reason, :released_key)")
                .bind("id", a.id()).bind("memory_id", a.memoryId().toString()).bind("requester", a.requester())
                .bind("justification", a.justification()).bind("requested_at", a.requestedAt().toEpochMilli())
                .bind("expires_at", a.expiresAt().toEpochMilli()).bind("status", a.status().name().toLowerCase(Locale.ROOT))
                .bind("decided_by", a.decidedBy().orElse(null)).bind("decided_at", a.decidedAt().map(Instant::toEpochMilli).orElse(null))
                .bind("reason", a.reason().orElse(null)).bind("released_key", a.release().orElse(null)).execute());
    }

    @Override
    public Optional<Approval> find(String id) {
        return db.read("read approval " + id, h -> h.createQuery("SELECT " + COLUMNS + " FROM approvals WHERE id = :id")
                .bind("id", id).map(SqliteApprovalRepository::row).findOne());
    }

    @Override
    public void update(Approval a) {
        int n = db.write("update approval " + a.id(), h -> h.createUpdate("UPDATE approvals SET status = :status, "
                        + "decided_by = :decided_by, decided_at = :decided_at, reason = :reason, released_key = :released_key "
                        + "WHERE id = :id")
                .bind("id", a.id()).bind("status", a.status().name().toLowerCase(Locale.ROOT))
                .bind("decided_by", a.decidedBy().orElse(null)).bind("decided_at", a.decidedAt().map(Instant::toEpochMilli).orElse(null))
                .bind("reason", a.reason().orElse(null)).bind("released_key", a.release().orElse(null)).execute());
        if (n == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_APPROVAL, "no approval " + a.id());
    }

    @Override
    public int withdrawReleases(MemoryId memory) {
        return db.write("withdraw the releases of memory " + memory, h -> {
            int changed = h.createUpdate("UPDATE approvals SET released_key = NULL, "
                            + "reason = CASE WHEN status IN ('pending', 'approved') THEN 'memory tombstoned' ELSE reason END, "
                            + "status = CASE WHEN status IN ('pending', 'approved') THEN 'expired' ELSE status END "
                            + "WHERE memory_id = :memory_id AND (released_key IS NOT NULL OR status IN ('pending', 'approved'))")
                    .bind("memory_id", memory.toString()).execute();
            // the erased keys must not linger in the WAL's old frames (secure_delete clears the main file)
            if (changed > 0) db.afterCommit(db.truncateWal());
            return changed;
        });
    }

    @Override
    public List<Approval> recent(boolean pendingOnly, int limit) {
        return db.read("list approvals", h -> h.createQuery("SELECT " + COLUMNS + " FROM approvals"
                        + (pendingOnly ? " WHERE status = 'pending'" : "") + " ORDER BY requested_at DESC, id LIMIT :limit")
                .bind("limit", limit).map(SqliteApprovalRepository::row).list());
    }

    private static Approval row(ResultSet rs, StatementContext ctx) throws SQLException {
        long decidedAt = rs.getLong("decided_at");
        boolean decided = !rs.wasNull();
        return new Approval(rs.getString("id"), MemoryId.parse(rs.getString("memory_id")), rs.getString("requester"),
                rs.getString("justification"), Instant.ofEpochMilli(rs.getLong("requested_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")),
                Approval.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                Optional.ofNullable(rs.getString("decided_by")), decided ? Optional.of(Instant.ofEpochMilli(decidedAt)) : Optional.empty(),
                Optional.ofNullable(rs.getString("reason")), Optional.ofNullable(rs.getBytes("released_key")));
    }
}
