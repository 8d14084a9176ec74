package org.memoryvault.storage.sqlite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jakarta.inject.Inject;
import org.jdbi.v3.core.Handle;
import org.memoryvault.domain.model.OwnerSeal;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.OwnerSealStore;

/**
 * Owner seals in {@code owner_seals} (schema V5), and the digests of the rows they cover
 * (docs/FORMAT.md §12): each digest is SHA-256 over one line per row, in the order below, of the
 * row's columns joined by {@code |}, with BLOBs in upper-case hex and NULL as the empty string.
 */
final class SqliteOwnerSealStore implements OwnerSealStore {
    /**
     * Approvals of the owner's memories that the owner granted: approved, used, and approved-then-expired rows, and
     * any row claiming a release or a decider without being a denial. (Denials need no secret and are not covered.)
     */
    static final String APPROVALS = "SELECT a.id, a.memory_id, a.requester, a.justification, a.expires_at, a.decided_by, "
            + "a.decided_at, hex(a.released_key) FROM approvals a JOIN memories m ON m.id = a.memory_id WHERE m.profile_id = :p "
            + "AND (a.status IN ('approved', 'used') OR (a.status <> 'denied' AND (a.decided_by IS NOT NULL "
            + "OR a.released_key IS NOT NULL))) ORDER BY a.id";
    /** Every principal (all belong to the owner's profile), without its rate window. */
    static final String PRINCIPALS = "SELECT name, profile_id, clearance, key_version, credential_id, hex(box_public_key), "
            + "hex(wrapped_key), hex(owner_mac), rate_count, rate_window_seconds, created_at FROM principals ORDER BY name";
    /**
     * Every presence token, without its last counter (which moves at each use). Digested after the
     * principals, into the same digest: a vault without tokens keeps the digests its seals hold.
     */
    static final String TOKENS = "SELECT name, kind, parameters, hex(sealed_secret), created_at FROM tokens ORDER BY name";
    /** The owner profile's row and its key slots. */
    static final String PROFILE = "SELECT id, key_version, hex(tier_public_keys), hex(owner_escrow), created_at FROM profiles WHERE id = :p";
    static final String SLOTS = "SELECT slot_id, type, label, kdf_opslimit, kdf_memlimit, hex(salt), hex(nonce), hex(wrapped_key), "
            + "created_at FROM key_slots WHERE profile_id = :p ORDER BY slot_id";
    /**
     * Level 5's binding and device slots (schema 8), digested after the key slots into the same
     * digest: a profile whose level 5 is not bound keeps the digests its seals hold.
     */
    static final String LEVEL5 = "SELECT hex(binding_mac) FROM level5_bindings WHERE profile_id = :p";
    static final String LEVEL5_SLOTS = SLOTS.replace("FROM key_slots", "FROM level5_slots");
    /** Tombstones of the owner's memories above level 0 (level 0 is purged by anyone, and opened by every key file). */
    static final String TOMBSTONES = "SELECT id, tombstoned_at, tombstone_reason, tombstone_by, shredded FROM memories "
            + "WHERE profile_id = :p AND tombstoned_at IS NOT NULL AND classification > 0 ORDER BY id";

    private final SqliteDatabase db;

    @Inject
    SqliteOwnerSealStore(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public OwnerSeal.StateDigests digest(ProfileId owner) {
        return db.read("digest the owner-set state", h -> new OwnerSeal.StateDigests(
                digest(h, owner, APPROVALS), digest(h, owner, PRINCIPALS, TOKENS), digest(h, owner, PROFILE, SLOTS, LEVEL5, LEVEL5_SLOTS), digest(h, owner, TOMBSTONES)));
    }

    private static String digest(Handle h, ProfileId owner, String... queries) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        for (String sql : queries) {
            var query = h.createQuery(sql);
            if (sql.contains(":p")) query.bind("p", owner.value());
            query.map((rs, ctx) -> line(rs)).forEach(line -> sha.update(line.getBytes(StandardCharsets.UTF_8)));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String line(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (i > 1) b.append('|');
            String v = rs.getString(i);
            if (v != null) b.append(v.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n"));
        }
        return b.append('\n').toString();
    }

    @Override
    public boolean tokensEnrolled() {
        return db.read("are presence tokens enrolled", h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM tokens)").mapTo(Integer.class).one()) == 1;
    }

    @Override
    public Optional<OwnerSeal> latest() {
        return db.read("read the newest owner seal", h -> h.createQuery("SELECT body, public_key, signature FROM owner_seals "
                + "ORDER BY seq DESC LIMIT 1").map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public List<OwnerSeal> all() {
        return db.read("read the owner seals", h -> h.createQuery("SELECT body, public_key, signature FROM owner_seals ORDER BY seq")
                .map((rs, ctx) -> row(rs)).list());
    }

    @Override
    public void deleteAbove(long seq) {
        db.write("drop owner seals above " + seq, h -> h.createUpdate("DELETE FROM owner_seals WHERE seq > :seq").bind("seq", seq).execute());
    }

    @Override
    public void append(long seq, OwnerSeal seal) {
        db.write("store owner seal " + seq, h -> h.createUpdate("INSERT INTO owner_seals (seq, body, public_key, signature) "
                        + "VALUES (:seq, :body, :pk, :sig)").bind("seq", seq).bind("body", seal.body())
                .bind("pk", seal.publicKey()).bind("sig", seal.signature()).execute());
    }

    private static OwnerSeal row(ResultSet rs) throws SQLException {
        return new OwnerSeal(rs.getString(1), rs.getBytes(2), rs.getBytes(3));
    }
}
