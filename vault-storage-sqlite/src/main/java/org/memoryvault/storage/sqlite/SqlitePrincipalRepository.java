package org.memoryvault.storage.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jakarta.inject.Inject;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.RateLimit;
import org.memoryvault.domain.port.PrincipalRepository;

/** Agent principals in {@code principals} (schema V4). Joins the thread's transaction when there is one. */
final class SqlitePrincipalRepository implements PrincipalRepository {
    private static final String COLUMNS = "name, profile_id, clearance, key_version, credential_id, box_public_key, "
            + "wrapped_key, owner_mac, rate_count, rate_window_seconds, created_at";

    private final SqliteDatabase db;

    @Inject
    SqlitePrincipalRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void insert(PrincipalRecord p) {
        db.write("add principal " + p.name(), h -> {
            boolean exists = h.createQuery("SELECT 1 FROM principals WHERE name = :name").bind("name", p.name())
                    .mapTo(Integer.class).findOne().isPresent();        // in the same write transaction: no race
            if (exists) {
                throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                        "a principal named " + p.name() + " exists");
            }
            return bind(h.createUpdate("INSERT INTO principals (" + COLUMNS + ") VALUES "
                    + "(:name, :profile_id, :clearance, :key_version, :credential_id, :box_public_key, :wrapped_key, :owner_mac, "
                    + ":rate_count, :rate_window_seconds, :created_at)"), p).execute();
        });
    }

    @Override
    public Optional<PrincipalRecord> find(String name) {
        return db.read("read principal " + name, h -> h.createQuery("SELECT " + COLUMNS + " FROM principals WHERE name = :name")
                .bind("name", name).map(SqlitePrincipalRepository::row).findOne());
    }

    @Override
    public Optional<PrincipalRecord> findByCredential(String credentialId) {
        return db.read("find a principal by credential", h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM principals WHERE credential_id = :id").bind("id", credentialId)
                .map(SqlitePrincipalRepository::row).findOne());
    }

    @Override
    public List<PrincipalRecord> list() {
        return db.read("list principals", h -> h.createQuery("SELECT " + COLUMNS + " FROM principals ORDER BY name")
                .map(SqlitePrincipalRepository::row).list());
    }

    @Override
    public void replace(PrincipalRecord p) {
        int n = db.write("replace principal " + p.name(), h -> bind(h.createUpdate("UPDATE principals SET "
                + "profile_id = :profile_id, clearance = :clearance, key_version = :key_version, credential_id = :credential_id, "
                + "box_public_key = :box_public_key, wrapped_key = :wrapped_key, owner_mac = :owner_mac, rate_count = :rate_count, "
                + "rate_window_seconds = :rate_window_seconds, created_at = :created_at, window_start = NULL, window_used = 0 "
                + "WHERE name = :name"), p).execute());
        if (n == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_PRINCIPAL, "no principal named " + p.name());
    }

    @Override
    public boolean admit(String name, Instant now, RateLimit limit) {
        return db.write("count a request of principal " + name, h -> {
            long t = now.toEpochMilli();
            // a window starting later than now (the clock went back, or a caller was late) is kept, not restarted:
            // restarting it would hand out a fresh allowance
            h.createUpdate("UPDATE principals SET window_start = :now, window_used = 0 WHERE name = :name "
                            + "AND (window_start IS NULL OR window_start + :window <= :now)")
                    .bind("now", t).bind("window", limit.window().toMillis()).bind("name", name).execute();
            return h.createUpdate("UPDATE principals SET window_used = window_used + 1 WHERE name = :name AND window_used < :count")
                    .bind("name", name).bind("count", limit.count()).execute() == 1;
        });
    }

    @Override
    public boolean remove(String name) {
        return db.write("remove principal " + name, h -> h.createUpdate("DELETE FROM principals WHERE name = :name")
                .bind("name", name).execute()) > 0;
    }

    private static Update bind(Update u, PrincipalRecord p) {
        return u.bind("name", p.name()).bind("profile_id", p.profile().value()).bind("clearance", p.clearance().level())
                .bind("key_version", p.keyVersion()).bind("credential_id", p.credentialId())
                .bind("box_public_key", p.boxPublicKey()).bind("wrapped_key", p.wrappedKey()).bind("owner_mac", p.ownerMac())
                .bind("rate_count", p.rate().map(RateLimit::count).orElse(null))
                .bind("rate_window_seconds", p.rate().map(r -> r.window().toSeconds()).orElse(null))
                .bind("created_at", p.createdAt().toEpochMilli());
    }

    private static PrincipalRecord row(ResultSet rs, StatementContext ctx) throws SQLException {
        String name = rs.getString("name");
        try {
            long count = rs.getLong("rate_count");
            Optional<RateLimit> rate = rs.wasNull() ? Optional.empty()
                    : Optional.of(new RateLimit((int) count, Duration.ofSeconds(rs.getLong("rate_window_seconds"))));
            return new PrincipalRecord(name, ProfileId.of(rs.getString("profile_id")),
                    Classification.ofLevel(rs.getInt("clearance")), rs.getInt("key_version"), rs.getString("credential_id"),
                    rs.getBytes("box_public_key"), rs.getBytes("wrapped_key"), rs.getBytes("owner_mac"), rate, Instant.ofEpochMilli(rs.getLong("created_at")));
        } catch (VaultException | IllegalArgumentException | NullPointerException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the stored principal " + name + " is malformed", e);
        }
    }
}
