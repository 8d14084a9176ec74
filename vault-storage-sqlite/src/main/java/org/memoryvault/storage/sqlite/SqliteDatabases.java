package org.memoryvault.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.storage.sqlite.internal.ConnectionPool;
import org.memoryvault.storage.sqlite.internal.Migrations;
import org.memoryvault.storage.sqlite.internal.SqliteErrors;
import org.memoryvault.storage.sqlite.internal.VaultFiles;

/**
 * Opens a vault's SQLite database ({@code <vault dir>/vault.db}).
 *
 * <p>On open: the directory is created 0700 if missing and proved writable; the file is created
 * 0600 before SQLite sees it; a schema newer than this code is refused without writing to the file;
 * the journal is switched to WAL; missing migrations are applied; a schema object these migrations
 * did not create (a trigger, view, table or index, or an edited one) is refused as
 * {@code INTEGRITY_TAMPERED}; the database, -wal and -shm files
 * are narrowed to 0600. Every connection runs with {@code synchronous=FULL}, {@code
 * secure_delete=ON}, {@code foreign_keys=ON} and the busy timeout.
 *
 * <p>Security: an existing directory keeps its permissions (the owner chose them); the files in it
 * are always owner-only. The caller must close the returned database.
 */
public final class SqliteDatabases {
    /**
     * Tuning of an open database.
     *
     * @param busyTimeout        how long a writer waits for another writer (in this or another
     *                           process) before the operation fails as "busy"
     * @param maxIdleConnections how many warm connections are kept for reuse
     */
    public record Options(Duration busyTimeout, int maxIdleConnections) {
        public static final Options DEFAULT = new Options(Duration.ofMillis(5_000), 4);

        public Options {
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            if (busyTimeout.isNegative()) {
                throw new InvalidInputException(ErrorCode.INPUT_DURATION, "the busy timeout is negative");
            }
            if (maxIdleConnections < 1) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "at least one idle connection must be kept");
            }
        }

        public Options withBusyTimeout(Duration timeout) { return new Options(timeout, maxIdleConnections); }
    }

    private SqliteDatabases() {}

    /** Opens the vault in {@code vaultDir}, creating the directory and an empty vault if there is none. */
    public static SqliteDatabase open(Path vaultDir) { return open(vaultDir, Options.DEFAULT); }

    /** As {@link #open(Path)}, with the given options. */
    public static SqliteDatabase open(Path vaultDir, Options options) {
        Objects.requireNonNull(vaultDir, "vaultDir");
        Objects.requireNonNull(options, "options");
        VaultFiles.ensureWritableDirectory(vaultDir);
        Path file = vaultDir.resolve(VaultFiles.DATABASE_FILE);
        VaultFiles.ensureDatabaseFile(file);
        return openFile(file, options);
    }

    /**
     * Opens the vault in {@code vaultDir}, which must already hold a vault.db.
     *
     * @throws InvalidInputException {@code STORAGE_NOT_INITIALISED} when there is none
     */
    public static SqliteDatabase openExisting(Path vaultDir) { return openExisting(vaultDir, Options.DEFAULT); }

    /** As {@link #openExisting(Path)}, with the given options. */
    public static SqliteDatabase openExisting(Path vaultDir, Options options) {
        Objects.requireNonNull(vaultDir, "vaultDir");
        Objects.requireNonNull(options, "options");
        Path file = vaultDir.resolve(VaultFiles.DATABASE_FILE);
        if (!Files.isRegularFile(file) && !Files.isSymbolicLink(file)) {     // a link is refused with its own error below
            throw new InvalidInputException(ErrorCode.STORAGE_NOT_INITIALISED,
                    "no vault at " + vaultDir + "; run `vault init`");
        }
        VaultFiles.ensureWritableDirectory(vaultDir);
        return openFile(file, options);
    }

    /** The schema version this code creates and understands. */
    public static int latestSchemaVersion() { return Migrations.load().latestVersion(); }

    private static SqliteDatabase openFile(Path file, Options options) {
        VaultFiles.refuseSymbolicLinks(file);
        org.memoryvault.storage.sqlite.internal.SqliteNativeLibrary.preferUnpacked();
        Migrations migrations = Migrations.load();
        ConnectionPool pool = new ConnectionPool(file, options.busyTimeout(), options.maxIdleConnections());
        try {
            Connection first = pool.create();
            try {
                migrations.refuseNewer(first);
                try (Statement s = first.createStatement()) {
                    s.execute("PRAGMA journal_mode = WAL");
                }
                migrations.migrate(first);
                migrations.refuseUnknownObjects(first);
                VaultFiles.restrictDatabaseFiles(file);
                pool.closeConnection(first);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(first, e);
                throw e;
            }
            return new SqliteDatabase(file, pool, options.busyTimeout(), migrations.latestVersion());
        } catch (SQLException e) {
            pool.close();
            throw SqliteErrors.translateOnOpen(e, "open the vault database " + file);
        } catch (RuntimeException e) {
            pool.close();
            throw e instanceof VaultException ? e : SqliteErrors.translateOnOpen(e, "open the vault database " + file);
        }
    }

    private static void closeQuietly(Connection c, Throwable cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
