package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Vault-wide state in {@code vault_state} (key/value text). Lockdown is four keys:
 * {@code lockdown.active} ({@code true}|{@code false}), {@code lockdown.since} (ISO-8601 instant),
 * {@code lockdown.reason} and {@code lockdown.by}; an absent optional field has no row.
 *
 * <p>Security: fails closed. A {@code lockdown.active} value other than {@code false} (edited,
 * damaged) reads as active, and so does an unparseable {@code lockdown.since}; only
 * {@link #setLockdown} with an open state clears it.
 */
final class SqliteVaultStateRepository implements VaultStateRepository {
    static final String ACTIVE = "lockdown.active";
    static final String SINCE = "lockdown.since";
    static final String REASON = "lockdown.reason";
    static final String BY = "lockdown.by";
    static final String VAULT_ID = "vault.id";
    static final String OWNER_PROFILE = "owner.profile";
    // Read before every store and recall: plain JDBC on a cached statement. The keys are constants.
    private static final String LOCKDOWN = "SELECT key, value FROM vault_state WHERE key IN ('" + ACTIVE + "', '"
            + SINCE + "', '" + REASON + "', '" + BY + "')";

    private final SqliteDatabase db;

    @Inject
    SqliteVaultStateRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public LockdownState lockdown() {
        Map<String, String> values = db.readJdbc("read the lockdown state", c -> {
            Map<String, String> m = new HashMap<>(8);
            PreparedStatement ps = db.statements().borrow(c, LOCKDOWN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) m.put(rs.getString(1), rs.getString(2));
            } finally {
                db.statements().giveBack(c, ps);
            }
            return m;
        });
        String active = values.get(ACTIVE);
        if (active == null) return LockdownState.OPEN;
        Optional<Instant> since;
        boolean damaged = false;
        try {
            since = Optional.ofNullable(values.get(SINCE)).map(Instant::parse);
        } catch (DateTimeParseException e) {
            since = Optional.empty();
            damaged = true;
        }
        return new LockdownState(!active.equals("false") || damaged, since, Optional.ofNullable(values.get(REASON)),
                Optional.ofNullable(values.get(BY)));
    }

    @Override
    public void setLockdown(LockdownState state) {
        Objects.requireNonNull(state, "state");
        db.write("save the lockdown state", h -> {
            put(h, ACTIVE, Optional.of(Boolean.toString(state.active())));
            put(h, SINCE, state.since().map(Instant::toString));
            put(h, REASON, state.reason());
            put(h, BY, state.by());
            return null;
        });
    }

    @Override
    public Optional<ProfileId> ownerProfile() {
        return db.read("read the owner profile", h -> h.createQuery("SELECT value FROM vault_state WHERE key = :key")
                .bind("key", OWNER_PROFILE).mapTo(String.class).findOne()).map(ProfileId::of);
    }

    @Override
    public void setOwnerProfile(ProfileId profile) {
        Objects.requireNonNull(profile, "profile");
        db.write("save the owner profile", h -> {
            int inserted = h.createUpdate("INSERT INTO vault_state (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                    .bind("key", OWNER_PROFILE).bind("value", profile.value()).execute();
            if (inserted == 0) {
                throw new org.memoryvault.domain.error.InvalidInputException(
                        org.memoryvault.domain.error.ErrorCode.INPUT_STATE, "the vault already has an owner profile");
            }
            return null;
        });
    }

    @Override
    public Optional<String> vaultId() {
        return db.read("read the vault id", h -> h.createQuery("SELECT value FROM vault_state WHERE key = :key")
                .bind("key", VAULT_ID).mapTo(String.class).findOne());
    }

    @Override
    public void setVaultId(String id) {
        Objects.requireNonNull(id, "id");
        db.write("save the vault id", h -> {
            int inserted = h.createUpdate("INSERT INTO vault_state (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                    .bind("key", VAULT_ID).bind("value", id).execute();
            if (inserted == 0) {
                throw new org.memoryvault.domain.error.InvalidInputException(
                        org.memoryvault.domain.error.ErrorCode.INPUT_STATE, "the vault already has an id");
            }
            return null;
        });
    }

    private static void put(Handle h, String key, Optional<String> value) {
        if (value.isPresent()) {
            h.createUpdate("INSERT INTO vault_state (key, value) VALUES (:key, :value) "
                            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    .bind("key", key).bind("value", value.get()).execute();
        } else {
            h.createUpdate("DELETE FROM vault_state WHERE key = :key").bind("key", key).execute();
        }
    }
}
