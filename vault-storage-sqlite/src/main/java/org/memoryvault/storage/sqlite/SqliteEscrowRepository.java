package org.memoryvault.storage.sqlite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Escrow;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.EscrowRepository;

/** Escrows in {@code escrows} and {@code escrow_shares} (schema V11). Joins the thread's transaction when there is one. */
final class SqliteEscrowRepository implements EscrowRepository {
    private final SqliteDatabase db;

    SqliteEscrowRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void insert(Escrow e, List<byte[]> shareFiles) {
        if (shareFiles.size() != e.shares()) throw new IllegalArgumentException("one share file per holder");
        db.write("add escrow " + e.id(), h -> {
            h.createUpdate("INSERT INTO escrows (id, profile_id, key_version, threshold, secret_commitment, created_at)"
                            + " VALUES (:id, :profile, :version, :threshold, :commitment, :at)")
                    .bind("id", e.id()).bind("profile", e.profile().value()).bind("version", e.keyVersion())
                    .bind("threshold", e.threshold()).bind("commitment", e.secretCommitment()).bind("at", e.createdAt().toEpochMilli())
                    .execute();
            for (Escrow.Holder holder : e.holders()) {
                h.createUpdate("INSERT INTO escrow_shares (escrow_id, idx, holder, recipient, digest, age_file)"
                                + " VALUES (:id, :idx, :holder, :recipient, :digest, :file)")
                        .bind("id", e.id()).bind("idx", holder.index()).bind("holder", holder.name()).bind("recipient", holder.recipient())
                        .bind("digest", holder.digest()).bind("file", shareFiles.get(holder.index() - 1)).execute();
            }
            return null;
        });
    }

    @Override
    public Optional<Escrow> find(String id) {
        return db.read("read escrow " + id, h -> read(h, id));
    }

    @Override
    public List<Escrow> list() {
        return db.read("list escrows", h -> {
            List<Escrow> out = new ArrayList<>();
            for (String id : h.createQuery("SELECT id FROM escrows ORDER BY created_at, id").mapTo(String.class).list()) {
                read(h, id).ifPresent(out::add);
            }
            return out;
        });
    }

    @Override
    public Optional<byte[]> shareFile(String id, int index) {
        return db.read("read a share of escrow " + id, h -> h.createQuery("SELECT age_file FROM escrow_shares WHERE escrow_id = :id AND idx = :idx")
                .bind("id", id).bind("idx", index).mapTo(byte[].class).findOne());
    }

    @Override
    public boolean delete(String id) {
        return db.write("delete escrow " + id, h -> h.createUpdate("DELETE FROM escrows WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static Optional<Escrow> read(Handle h, String id) {
        Optional<Object[]> row = h.createQuery("SELECT profile_id, key_version, threshold, secret_commitment, created_at FROM escrows"
                        + " WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getLong(5)}).findOne();
        if (row.isEmpty()) return Optional.empty();
        List<Escrow.Holder> holders = h.createQuery("SELECT idx, holder, recipient, digest FROM escrow_shares WHERE escrow_id = :id ORDER BY idx")
                .bind("id", id).map((rs, ctx) -> new Escrow.Holder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
        Object[] r = row.get();
        try {
            return Optional.of(new Escrow(id, new ProfileId((String) r[0]), (Integer) r[1], (Integer) r[2], (String) r[3],
                    Instant.ofEpochMilli((Long) r[4]), holders));
        } catch (VaultException | IllegalArgumentException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the rows of escrow " + id + " in vault.db are malformed", null);
        }
    }
}
