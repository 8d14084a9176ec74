package org.memoryvault.storage.sqlite.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.Tombstone;

/**
 * The {@code memories} row as a {@link Memory}. A row the domain types refuse (edited by hand, or
 * damaged) is reported as {@code INTEGRITY_TAMPERED}, naming the row, never its contents.
 */
public final class MemoryRows implements RowMapper<Memory> {
    /** The columns {@link #map} reads, in a form to paste after SELECT. */
    public static final String COLUMNS = "id, created_at, created_by, classification, profile_id, key_version, "
            + "cooldown_seconds, metadata, intent_refs, commitment, nonce, ciphertext, tombstoned_at, "
            + "tombstone_reason, tombstone_by, shredded, last_recalled_at, wrapped_key";

    public static final MemoryRows INSTANCE = new MemoryRows();

    private MemoryRows() {}

    @Override
    public Memory map(ResultSet rs, StatementContext ctx) throws SQLException { return read(rs); }

    /**
     * The memory in the current row of {@code rs}, whose first columns are {@link #COLUMNS} in that
     * order (read by position: this runs for every recall).
     */
    public static Memory read(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        byte[] nonce = rs.getBytes(11);
        byte[] ciphertext = rs.getBytes(12);
        Optional<Instant> tombstonedAt = instant(rs, 13);
        String tombstoneReason = rs.getString(14);
        String tombstoneBy = rs.getString(15);
        boolean shredded = rs.getInt(16) != 0;
        try {
            Optional<SealedContent> sealed = nonce != null && ciphertext != null
                    ? Optional.of(new SealedContent(nonce, ciphertext, wrappedKey(rs.getBytes(18)))) : Optional.empty();
            Optional<Tombstone> tombstone = tombstonedAt.isEmpty() ? Optional.empty() : Optional.of(
                    new Tombstone(tombstonedAt.get(), required(tombstoneReason, "tombstone_reason"),
                            required(tombstoneBy, "tombstone_by"), shredded));
            return new Memory(
                    MemoryId.parse(required(id, "id")),
                    Instant.ofEpochMilli(rs.getLong(2)),
                    required(rs.getString(3), "created_by"),
                    Classification.ofLevel(rs.getInt(4)),
                    ProfileId.of(required(rs.getString(5), "profile_id")),
                    rs.getInt(6),
                    new AccessPolicy(new Cooldown(Duration.ofSeconds(rs.getLong(7)))),
                    new Metadata(required(rs.getString(8), "metadata")),
                    JsonStringArray.decode(required(rs.getString(9), "intent_refs")),
                    new ContentCommitment(required(rs.getString(10), "commitment")),
                    sealed,
                    tombstone,
                    instant(rs, 17));
        } catch (VaultException | IllegalArgumentException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the stored memory " + id + " is malformed", e);
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static String required(@Nullable String value, String column) {
        if (value == null) throw new IllegalArgumentException(column + " is NULL");
        return value;
    }

    private static byte[] wrappedKey(byte[] stored) { return stored == null ? new byte[0] : stored; }
}
