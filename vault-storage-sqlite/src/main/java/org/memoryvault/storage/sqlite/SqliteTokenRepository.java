package org.memoryvault.storage.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.statement.StatementContext;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.TokenRepository;

/** Presence tokens in {@code tokens} (schema V6). Joins the thread's transaction when there is one. */
final class SqliteTokenRepository implements TokenRepository {
    private static final String COLUMNS = "name, kind, parameters, sealed_secret, last_counter, created_at";

    private final SqliteDatabase db;

    SqliteTokenRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public void insert(PresenceToken t) {
        db.write("add token " + t.name(), h -> {
            boolean exists = h.createQuery("SELECT 1 FROM tokens WHERE name = :name").bind("name", t.name())
                    .mapTo(Integer.class).findOne().isPresent();
            if (exists) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a token named " + t.name() + " exists");
            return h.createUpdate("INSERT INTO tokens (" + COLUMNS + ") VALUES (:name, :kind, :parameters, :sealed_secret, "
                            + ":last_counter, :created_at)")
                    .bind("name", t.name()).bind("kind", t.kind()).bind("parameters", t.parameters())
                    .bind("sealed_secret", t.sealedSecret())
                    .bind("last_counter", t.lastCounter().isPresent() ? t.lastCounter().getAsLong() : null)
                    .bind("created_at", t.createdAt().toEpochMilli()).execute();
        });
    }

    @Override
    public Optional<PresenceToken> find(String name) {
        return db.read("read token " + name, h -> h.createQuery("SELECT " + COLUMNS + " FROM tokens WHERE name = :name")
                .bind("name", name).map(SqliteTokenRepository::row).findOne());
    }

    @Override
    public boolean exists(String name) {
        return db.read("find token " + name, h -> h.createQuery("SELECT 1 FROM tokens WHERE name = :name").bind("name", name)
                .mapTo(Integer.class).findOne().isPresent());
    }

    @Override
    public List<PresenceToken> list() {
        return db.read("list tokens", h -> h.createQuery("SELECT " + COLUMNS + " FROM tokens ORDER BY name")
                .map(SqliteTokenRepository::row).list());
    }

    @Override
    public boolean remove(String name) {
        return db.write("remove token " + name, h -> h.createUpdate("DELETE FROM tokens WHERE name = :name")
                .bind("name", name).execute()) > 0;
    }

    @Override
    public boolean advance(String name, long counter) {
        // one statement: the comparison and the write are atomic under SQLite's write lock
        return db.write("record a use of token " + name, h -> h.createUpdate("UPDATE tokens SET last_counter = :c "
                + "WHERE name = :name AND (last_counter IS NULL OR last_counter < :c)")
                .bind("c", counter).bind("name", name).execute()) == 1;
    }

    private static PresenceToken row(ResultSet rs, StatementContext ctx) throws SQLException {
        String name = rs.getString("name");
        try {
            long last = rs.getLong("last_counter");
            OptionalLong lastCounter = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(last);
            return new PresenceToken(name, rs.getString("kind"), rs.getString("parameters"), rs.getBytes("sealed_secret"), lastCounter,
                    Instant.ofEpochMilli(rs.getLong("created_at")));
        } catch (VaultException | IllegalArgumentException | NullPointerException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the stored token " + name + " is malformed", e);
        }
    }
}
