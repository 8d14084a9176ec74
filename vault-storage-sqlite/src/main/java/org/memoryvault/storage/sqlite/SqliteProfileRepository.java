package org.memoryvault.storage.sqlite;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.storage.sqlite.internal.KeySlotRows;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;
import org.sqlite.SQLiteErrorCode;

/**
 * Key profiles ({@code profiles}) and their key slots ({@code key_slots}): wrapped data keys and
 * KDF parameters only, never a data key. Slots come back ordered by slot id.
 */
final class SqliteProfileRepository implements ProfileRepository {
    private static final String INSERT_SLOT = "INSERT INTO key_slots (" + KeySlotRows.COLUMNS + ") VALUES (:profile_id, "
            + ":slot_id, :type, :label, :kdf_opslimit, :kdf_memlimit, :salt, :nonce, :wrapped_key, :created_at)";
    private static final String SLOTS = "SELECT " + KeySlotRows.COLUMNS + " FROM key_slots";
    private static final String PROFILE = "SELECT id, created_at, key_version, tier_public_keys, owner_escrow, "
            + "(SELECT binding_mac FROM level5_bindings b WHERE b.profile_id = profiles.id) AS binding_mac FROM profiles";
    private static final String INSERT_DEVICE_SLOT = INSERT_SLOT.replace("INSERT INTO key_slots", "INSERT INTO level5_slots");

    private final SqliteDatabase db;

    @Inject
    SqliteProfileRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void create(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        db.write("create profile " + profile.id(), h -> {
            try {
                h.createUpdate("INSERT INTO profiles (id, created_at, key_version, tier_public_keys, owner_escrow) "
                                + "VALUES (:id, :created_at, :key_version, :tier_public_keys, :owner_escrow)")
                        .bind("id", profile.id().value())
                        .bind("tier_public_keys", profile.locks().isNone() ? null : profile.locks().publicKeys())
                        .bind("owner_escrow", profile.locks().ownerEscrow().orElse(null))
                        .bind("created_at", profile.createdAt().toEpochMilli())
                        .bind("key_version", profile.keyVersion())
                        .execute();
            } catch (UnableToExecuteStatementException e) {
                if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                    throw new InvalidInputException(ErrorCode.INPUT_PROFILE_EXISTS, "a profile named " + profile.id() + " exists");
                }
                throw e;
            }
            writeBinding(h, profile.id(), profile.locks());
            for (KeySlot slot : profile.slots()) insertSlot(h, profile.id(), slot);
            return null;
        });
    }

    @Override
    public Optional<Profile> find(ProfileId id) {
        Objects.requireNonNull(id, "id");
        return db.read("read profile " + id, h -> {
            Optional<Row> row = h.createQuery(PROFILE + " WHERE id = :id")
                    .bind("id", id.value()).map(Row::map).findOne();
            if (row.isEmpty()) return Optional.empty();
            List<KeySlot> slots = h.createQuery(SLOTS + " WHERE profile_id = :id ORDER BY slot_id")
                    .bind("id", id.value()).map(KeySlotRows.INSTANCE).list();
            return Optional.of(row.get().toProfile(slots));
        });
    }

    @Override
    public List<Profile> list() {
        return db.read("list profiles", h -> {
            List<Row> rows = h.createQuery(PROFILE + " ORDER BY id").map(Row::map).list();
            Map<String, List<KeySlot>> slots = new LinkedHashMap<>();
            h.createQuery(SLOTS + " ORDER BY profile_id, slot_id")
                    .map((rs, ctx) -> Map.entry(rs.getString("profile_id"), KeySlotRows.INSTANCE.map(rs, ctx)))
                    .forEach(e -> slots.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            List<Profile> out = new ArrayList<>(rows.size());
            for (Row r : rows) out.add(r.toProfile(slots.getOrDefault(r.id, List.of())));
            return out;
        });
    }

    @Override
    public void addSlot(ProfileId profile, KeySlot slot) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(slot, "slot");
        db.write("add a key slot to profile " + profile, h -> {
            insertSlot(h, profile, slot);
            return null;
        });
    }

    @Override
    public void removeSlot(ProfileId profile, int slotId) {
        Objects.requireNonNull(profile, "profile");
        db.write("remove key slot " + slotId + " of profile " + profile, h -> {
            int changed = h.createUpdate("DELETE FROM key_slots WHERE profile_id = :profile AND slot_id = :slot")
                    .bind("profile", profile.value()).bind("slot", slotId).execute();
            if (changed == 0) throw missing(h, profile, slotId);
            return null;
        });
    }

    @Override
    public void updateLocks(ProfileId profile, TierLocks locks) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(locks, "locks");
        db.write("update the tier locks of profile " + profile, h -> {
            int changed = h.createUpdate("UPDATE profiles SET tier_public_keys = :keys, owner_escrow = :escrow WHERE id = :id")
                    .bind("keys", locks.isNone() ? null : locks.publicKeys()).bind("escrow", locks.ownerEscrow().orElse(null))
                    .bind("id", profile.value()).execute();
            if (changed == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + profile);
            writeBinding(h, profile, locks);
            return null;
        });
    }

    /** The level-5 binding row as {@code locks} has it: written, replaced or deleted. */
    private static void writeBinding(Handle h, ProfileId profile, TierLocks locks) {
        h.createUpdate("DELETE FROM level5_bindings WHERE profile_id = :id").bind("id", profile.value()).execute();
        if (locks.level5Binding().isPresent()) {
            h.createUpdate("INSERT INTO level5_bindings (profile_id, binding_mac) VALUES (:id, :mac)")
                    .bind("id", profile.value()).bind("mac", locks.level5Binding().get()).execute();
        }
    }

    @Override
    public List<KeySlot> deviceSlots(ProfileId profile) {
        Objects.requireNonNull(profile, "profile");
        return db.read("read the level-5 device slots of profile " + profile, h -> {
            requireProfile(h, profile);
            return h.createQuery("SELECT " + KeySlotRows.COLUMNS + " FROM level5_slots WHERE profile_id = :id ORDER BY slot_id")
                    .bind("id", profile.value()).map(KeySlotRows.INSTANCE).list();
        });
    }

    @Override
    public void addDeviceSlot(ProfileId profile, KeySlot slot) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(slot, "slot");
        db.write("add a level-5 device slot to profile " + profile, h -> {
            requireProfile(h, profile);
            try {
                h.createUpdate(INSERT_DEVICE_SLOT).bindMap(slotValues(profile, slot)).execute();
            } catch (UnableToExecuteStatementException e) {
                if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                            "profile " + profile + " already has a level-5 device slot " + slot.slotId());
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void removeDeviceSlot(ProfileId profile, int slotId) {
        Objects.requireNonNull(profile, "profile");
        db.write("remove level-5 device slot " + slotId + " of profile " + profile, h -> {
            requireProfile(h, profile);
            int changed = h.createUpdate("DELETE FROM level5_slots WHERE profile_id = :profile AND slot_id = :slot")
                    .bind("profile", profile.value()).bind("slot", slotId).execute();
            if (changed == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_SLOT, "profile " + profile + " has no level-5 device slot " + slotId);
            return null;
        });
    }

    private static void requireProfile(Handle h, ProfileId profile) {
        boolean exists = h.createQuery("SELECT count(*) FROM profiles WHERE id = :id").bind("id", profile.value())
                .mapTo(Integer.class).one() > 0;
        if (!exists) throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + profile);
    }

    @Override
    public Optional<PendingRekey> pendingRekey(ProfileId profile) {
        Objects.requireNonNull(profile, "profile");
        return db.read("read the re-key of profile " + profile, h -> h.createQuery(
                        "SELECT key_version, sealed_key, started_at FROM rekeys WHERE profile_id = :id").bind("id", profile.value())
                .map((rs, ctx) -> new PendingRekey(rs.getInt(1), rs.getBytes(2), Instant.ofEpochMilli(rs.getLong(3)))).findOne());
    }

    @Override
    public void startRekey(ProfileId profile, PendingRekey rekey) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(rekey, "rekey");
        db.write("start re-keying profile " + profile, h -> {
            requireProfile(h, profile);
            try {
                h.createUpdate("INSERT INTO rekeys (profile_id, key_version, sealed_key, started_at) VALUES (:id, :v, :k, :at)")
                        .bind("id", profile.value()).bind("v", rekey.keyVersion()).bind("k", rekey.sealedKey())
                        .bind("at", rekey.startedAt().toEpochMilli()).execute();
            } catch (UnableToExecuteStatementException e) {
                if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                    throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + profile + " is already being re-keyed");
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void finishRekey(ProfileId profile, int keyVersion) {
        Objects.requireNonNull(profile, "profile");
        db.write("finish re-keying profile " + profile, h -> {
            int changed = h.createUpdate("UPDATE profiles SET key_version = :v WHERE id = :id").bind("v", keyVersion)
                    .bind("id", profile.value()).execute();
            if (changed == 0) throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + profile);
            h.createUpdate("DELETE FROM rekeys WHERE profile_id = :id").bind("id", profile.value()).execute();
            return null;
        });
    }

    @Override
    public void replaceSlot(ProfileId profile, KeySlot slot) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(slot, "slot");
        db.write("replace key slot " + slot.slotId() + " of profile " + profile, h -> {
            int changed = h.createUpdate("UPDATE key_slots SET type = :type, label = :label, kdf_opslimit = :kdf_opslimit, "
                            + "kdf_memlimit = :kdf_memlimit, salt = :salt, nonce = :nonce, wrapped_key = :wrapped_key, "
                            + "created_at = :created_at WHERE profile_id = :profile_id AND slot_id = :slot_id")
                    .bindMap(slotValues(profile, slot)).execute();
            if (changed == 0) throw missing(h, profile, slot.slotId());
            return null;
        });
    }

    private static void insertSlot(Handle h, ProfileId profile, KeySlot slot) {
        try {
            h.createUpdate(INSERT_SLOT).bindMap(slotValues(profile, slot)).execute();
        } catch (UnableToExecuteStatementException e) {
            if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                        "profile " + profile + " already has a key slot " + slot.slotId());
            }
            if (SqliteErrors.isConstraint(e, SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY)) {
                throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + profile);
            }
            throw e;
        }
    }

    private static Map<String, Object> slotValues(ProfileId profile, KeySlot slot) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("profile_id", profile.value());
        v.put("slot_id", slot.slotId());
        v.put("type", slot.type().wireName());
        v.put("label", slot.label());
        v.put("kdf_opslimit", slot.kdf().map(KdfParameters::opsLimit).orElse(null));
        v.put("kdf_memlimit", slot.kdf().map(KdfParameters::memLimitBytes).orElse(null));
        v.put("salt", slot.salt());
        v.put("nonce", slot.nonce());
        v.put("wrapped_key", slot.wrappedKey());
        v.put("created_at", slot.createdAt().toEpochMilli());
        return v;
    }

    private static VaultException missing(Handle h, ProfileId profile, int slotId) {
        boolean exists = h.createQuery("SELECT count(*) FROM profiles WHERE id = :id").bind("id", profile.value())
                .mapTo(Integer.class).one() > 0;
        return exists
                ? new NotFoundException(ErrorCode.NOT_FOUND_SLOT, "profile " + profile + " has no key slot " + slotId)
                : new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + profile);
    }

    private record Row(String id, long createdAtMillis, int keyVersion, TierLocks locks) {
        static Row map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
            byte[] publicKeys = rs.getBytes(4);
            TierLocks locks = publicKeys == null ? TierLocks.NONE
                    : new TierLocks(publicKeys, Optional.ofNullable(rs.getBytes(5)), Optional.ofNullable(rs.getBytes(6)));
            return new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), locks);
        }

        Profile toProfile(List<KeySlot> slots) {
            try {
                return new Profile(ProfileId.of(id), Instant.ofEpochMilli(createdAtMillis), keyVersion, slots, locks);
            } catch (VaultException | IllegalArgumentException e) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the stored profile " + id + " is malformed", e);
            }
        }
    }
}
