package org.memoryvault.storage.sqlite.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotType;

/** The {@code key_slots} row as a {@link KeySlot}; a malformed row is {@code INTEGRITY_TAMPERED}. */
public final class KeySlotRows implements RowMapper<KeySlot> {
    public static final String COLUMNS =
            "profile_id, slot_id, type, label, kdf_opslimit, kdf_memlimit, salt, nonce, wrapped_key, created_at";

    public static final KeySlotRows INSTANCE = new KeySlotRows();

    private KeySlotRows() {}

    @Override
    public KeySlot map(ResultSet rs, StatementContext ctx) throws SQLException {
        int slotId = rs.getInt("slot_id");
        long ops = rs.getLong("kdf_opslimit");
        boolean noKdf = rs.wasNull();
        long mem = rs.getLong("kdf_memlimit");
        String type = rs.getString("type");
        String label = rs.getString("label");
        byte[] salt = rs.getBytes("salt");
        byte[] nonce = rs.getBytes("nonce");
        byte[] wrapped = rs.getBytes("wrapped_key");
        long createdAt = rs.getLong("created_at");
        try {
            if (type == null || label == null || salt == null || nonce == null || wrapped == null) {
                throw new IllegalArgumentException("a required column is NULL");
            }
            Optional<KdfParameters> kdf = noKdf ? Optional.empty() : Optional.of(new KdfParameters(ops, mem));
            return new KeySlot(slotId, SlotType.of(type), label, kdf, salt, nonce, wrapped,
                    Instant.ofEpochMilli(createdAt));
        } catch (VaultException | IllegalArgumentException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                    "the stored key slot " + slotId + " of profile " + rs.getString("profile_id") + " is malformed", e);
        }
    }
}
