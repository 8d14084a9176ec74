package org.memoryvault.storage.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.DeadManSwitch;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.DeadManRepository;

/** The dead-man switch in {@code dms_state} and {@code dms_heirs} (schema V12). Joins the thread's transaction when there is one. */
final class SqliteDeadManRepository implements DeadManRepository {
    private final SqliteDatabase db;

    SqliteDeadManRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public Optional<DeadManSwitch> current() {
        return db.read("read the dead-man switch", h -> h.createQuery("SELECT armed_at, interval_ms, deadline, memories, justification,"
                + " last_checkin, prepared_at, signature FROM dms_state WHERE id = 1").map((rs, ctx) -> {
                    try {
                        List<MemoryId> ids = Arrays.stream(rs.getString(4).split(" ")).map(MemoryId::parse).toList();
                        return new DeadManSwitch(Instant.ofEpochMilli(rs.getLong(1)), Duration.ofMillis(rs.getLong(2)),
                                Instant.ofEpochMilli(rs.getLong(3)), ids, rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
                                Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8));
                    } catch (VaultException | IllegalArgumentException | NullPointerException e) {
                        throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the dead-man switch's row in vault.db is malformed", null);
                    }
                }).findOne());
    }

    @Override
    public void save(DeadManSwitch s) {
        db.write("save the dead-man switch", h -> h.createUpdate("INSERT INTO dms_state (id, armed_at, interval_ms, deadline, memories,"
                        + " justification, last_checkin, prepared_at, signature) VALUES (1, :armed, :interval, :deadline, :memories, :why,"
                        + " :checkin, :prepared, :signature)"
                        + " ON CONFLICT (id) DO UPDATE SET armed_at = excluded.armed_at, interval_ms = excluded.interval_ms,"
                        + " deadline = excluded.deadline, memories = excluded.memories, justification = excluded.justification,"
                        + " last_checkin = excluded.last_checkin, prepared_at = excluded.prepared_at, signature = excluded.signature")
                .bind("armed", s.armedAt().toEpochMilli()).bind("interval", s.interval().toMillis())
                .bind("deadline", s.deadline().toEpochMilli())
                .bind("memories", String.join(" ", s.memories().stream().map(MemoryId::toString).toList()))
                .bind("why", s.justification()).bind("checkin", s.lastCheckin().toEpochMilli()).bind("prepared", s.preparedAt().toEpochMilli()).bind("signature", s.signature())
                .execute());
    }

    @Override
    public void disarm() {
        db.write("disarm the dead-man switch", h -> {
            h.createUpdate("DELETE FROM dms_state").execute();
            return h.createUpdate("UPDATE dms_heirs SET package = NULL WHERE package IS NOT NULL").execute();
        });
    }

    @Override
    public List<Heir> heirs() {
        return db.read("list heirs", h -> h.createQuery("SELECT name, recipient, added_at, signature FROM dms_heirs ORDER BY name")
                .map((rs, ctx) -> {
                    try {
                        return new Heir(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4));
                    } catch (VaultException | IllegalArgumentException | NullPointerException e) {
                        throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "an heir's row in vault.db is malformed", null);
                    }
                }).list());
    }

    @Override
    public void addHeir(Heir heir) {
        db.write("add heir " + heir.name(), h -> {
            boolean exists = h.createQuery("SELECT 1 FROM dms_heirs WHERE name = :name").bind("name", heir.name())
                    .mapTo(Integer.class).findOne().isPresent();
            if (exists) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an heir named " + heir.name() + " exists");
            return h.createUpdate("INSERT INTO dms_heirs (name, recipient, added_at, signature) VALUES (:name, :recipient, :at, :signature)")
                    .bind("name", heir.name()).bind("recipient", heir.recipient()).bind("at", heir.addedAt().toEpochMilli())
                    .bind("signature", heir.signature()).execute();
        });
    }

    @Override
    public boolean removeHeir(String name) {
        return db.write("remove heir " + name, h -> h.createUpdate("DELETE FROM dms_heirs WHERE name = :name").bind("name", name).execute()) > 0;
    }

    @Override
    public void putPackage(String heir, byte[] ageFile) {
        db.write("store the package of heir " + heir, h -> h.createUpdate("UPDATE dms_heirs SET package = :p WHERE name = :name")
                .bind("p", ageFile).bind("name", heir).execute());
    }

    @Override
    public Optional<byte[]> packageOf(String heir) {
        return db.read("read the package of heir " + heir, h -> h.createQuery("SELECT package FROM dms_heirs WHERE name = :name AND package IS NOT NULL")
                .bind("name", heir).mapTo(byte[].class).findOne());
    }
}
