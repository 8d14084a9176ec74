package org.memoryvault.storage.sqlite.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * The schema's versioned migrations: SQL files {@code V<n>__<name>.sql} listed, in order, in the
 * resource {@code index.txt} beside them (no classpath scanning). The database's schema version is
 * its {@code PRAGMA user_version}; {@link #migrate} applies the missing versions in one
 * {@code BEGIN IMMEDIATE} transaction, so a failed migration leaves the file as it was and two
 * processes opening the vault at once migrate it once.
 *
 * <p>A database whose version is newer than the newest migration is refused before anything is
 * written to it.
 */
public final class Migrations {
    /** Where the production migrations live on the classpath. */
    public static final String RESOURCE_DIRECTORY = "/org/memoryvault/storage/sqlite/migration/";
    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]{0,5})__[A-Za-z0-9_]+\\.sql");

    /** One migration: its version, file name and SQL (any number of statements, triggers included). */
    public record Migration(int version, String fileName, String sql) {
        public Migration {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(sql, "sql");
        }
    }

    private final List<Migration> migrations;
    private @org.jspecify.annotations.Nullable Set<String> expectedSchema;

    private Migrations(List<Migration> migrations) { this.migrations = List.copyOf(migrations); }

    /** The production migrations. */
    public static Migrations load() { return load(RESOURCE_DIRECTORY); }

    /**
     * Loads {@code directory + "index.txt"} and the files it lists. Blank lines and lines starting
     * with {@code #} are ignored. The versions must be 1, 2, 3, ... in that order.
     *
     * @throws InternalVaultException if the index or a listed file is missing or malformed (a
     *                                packaging bug, not a user error)
     */
    public static Migrations load(String directory) {
        String index = resource(directory + "index.txt");
        List<Migration> out = new ArrayList<>();
        for (String raw : index.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = FILE_NAME.matcher(line);
            if (!m.matches()) throw broken("'" + line + "' is not named V<n>__<name>.sql");
            int version = Integer.parseInt(m.group(1));
            if (version != out.size() + 1) {
                throw broken(line + " has version " + version + " but " + (out.size() + 1) + " was expected next");
            }
            out.add(new Migration(version, line, resource(directory + line)));
        }
        if (out.isEmpty()) throw broken("no migrations are listed in " + directory + "index.txt");
        return new Migrations(out);
    }

    public List<Migration> all() { return migrations; }

    /** The schema version this code writes and understands: the newest migration's. */
    public int latestVersion() { return migrations.get(migrations.size() - 1).version(); }

    /**
     * Refuses a database newer than this code. Reads only, so a refused file is not modified.
     *
     * @throws InvalidInputException {@code STORAGE_SCHEMA_NEWER}
     */
    public void refuseNewer(Connection connection) throws SQLException {
        int current = userVersion(connection);
        if (current > latestVersion()) throw newer(current);
    }

    /**
     * Brings the database to {@link #latestVersion()} and returns the version it had before. Call
     * outside any transaction.
     *
     * @throws InvalidInputException {@code STORAGE_SCHEMA_NEWER} if the database is newer than this code
     */
    public int migrate(Connection connection) throws SQLException {
        int before = userVersion(connection);
        if (before > latestVersion()) throw newer(before);
        if (before == latestVersion()) return before;
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                // Another process may have migrated between the check above and the write lock.
                before = userVersion(connection);
                if (before > latestVersion()) throw newer(before);
                for (Migration m : migrations) {
                    if (m.version() <= before) continue;
                    s.executeUpdate(m.sql());
                    s.execute("PRAGMA user_version = " + m.version());
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
        return before;
    }

    /**
     * Refuses a database whose schema objects (tables, indexes, views, triggers) differ from what
     * these migrations create: an extra trigger (one that cancels every future lockdown, say), a
     * view, or an edited trigger body is {@code INTEGRITY_TAMPERED}, and nothing is written. The
     * expected schema is made by applying the migrations to an in-memory database, once per process.
     */
    public void refuseUnknownObjects(Connection connection) throws SQLException {
        Set<String> expected = expectedSchema();
        Set<String> found = schemaOf(connection);
        for (String object : found) {
            if (!expected.contains(object)) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "vault.db holds a schema object this vault did not "
                        + "create (" + object.substring(0, object.indexOf('\n')) + "): refusing to open it", null);
            }
        }
        for (String object : expected) {
            if (!found.contains(object)) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "vault.db lacks or altered a schema object of this vault ("
                        + object.substring(0, object.indexOf('\n')) + "): refusing to open it", null);
            }
        }
    }

    private synchronized Set<String> expectedSchema() throws SQLException {
        if (expectedSchema == null) {
            try (Connection memory = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
                migrate(memory);
                expectedSchema = schemaOf(memory);
            }
        }
        return expectedSchema;
    }

    /** Every schema object as "type name\nsql"; SQLite's own (sqlite_*) left out. */
    private static Set<String> schemaOf(Connection connection) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2) + "\n" + rs.getString(3));
        }
        return out;
    }

    public static int userVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private InvalidInputException newer(int found) {
        return new InvalidInputException(ErrorCode.STORAGE_SCHEMA_NEWER, "database schema version " + found
                + " is newer than this vault (" + latestVersion() + "); upgrade memory-vault");
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) throw broken(path + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "cannot read the migration " + path, e);
        }
    }

    private static InternalVaultException broken(String why) {
        return new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the schema migrations are broken: " + why, null);
    }
}
