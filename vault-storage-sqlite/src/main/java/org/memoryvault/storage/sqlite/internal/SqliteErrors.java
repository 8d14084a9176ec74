package org.memoryvault.storage.sqlite.internal;

import java.sql.SQLException;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Translates SQLite and Jdbi failures into the domain's exceptions at the port. Messages name the
 * action and SQLite's result code, never SQLite's message text (it can quote schema or values).
 * Constraint failures that are the caller's fault are mapped by each repository, which knows what
 * the constraint means; here they are a storage fault.
 */
public final class SqliteErrors {
    // Primary result codes (sqlite3.h).
    private static final int SQLITE_ERROR = 1;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;

    private SqliteErrors() {}

    /** The exception to throw for {@code failure}, which happened while trying to {@code action}. */
    public static VaultException translate(Throwable failure, String action) { return translate(failure, action, false); }

    /**
     * As {@link #translate(Throwable, String)}, for a failure while opening the database file: the
     * statements then are the vault's own fixed ones, so a plain {@code SQLITE_ERROR} means the
     * file's content is wrong (an integrity failure), not this program.
     */
    public static VaultException translateOnOpen(Throwable failure, String action) { return translate(failure, action, true); }

    private static VaultException translate(Throwable failure, String action, boolean opening) {
        if (failure instanceof VaultException v) return v;
        Optional<SQLException> sql = sqlCause(failure);
        if (sql.isEmpty()) {
            return new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "could not " + action, failure);
        }
        int code = resultCode(sql.get());
        switch (code & 0xff) {
            case SQLITE_BUSY, SQLITE_LOCKED:
                return new InternalVaultException(ErrorCode.STORAGE_BUSY, "the vault database is busy", failure);
            case SQLITE_READONLY:
                return new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE,
                        "could not " + action + ": the vault database is read-only");
            case SQLITE_CANTOPEN:
                return new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE,
                        "could not " + action + ": the vault database cannot be opened");
            case SQLITE_CORRUPT, SQLITE_NOTADB:
                // a damaged file is an integrity failure of the vault (exit 5), not a fault of this program
                return new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                        "could not " + action + ": the vault database is damaged or is not a SQLite database"
                        + " (docs/RECOVERY.md: recover from a copy or a backup)", failure);
            case SQLITE_FULL:
                return new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "could not " + action + ": the disk is full", failure);
            case SQLITE_CONSTRAINT:
                return new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "could not " + action + ": a database constraint was violated (" + name(sql.get()) + ")", failure);
            case SQLITE_ERROR:
                // "malformed database schema (...)", or any error of the vault's own fixed statements while opening the file
                if (opening || String.valueOf(sql.get().getMessage()).contains("malformed")) {
                    return new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                            "could not " + action + ": the vault database's schema is damaged (docs/RECOVERY.md: recover from a"
                            + " copy or a backup)", failure);
                }
                return new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "could not " + action + " (" + name(sql.get()) + ")", failure);
            case 0:
                // no SQLite result code: the driver refused a value it read (a text where the schema keeps a number, ...)
                return new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                        "could not " + action + ": vault.db holds a value this vault cannot read (edited or damaged)", failure);
            default:
                return new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "could not " + action + " (" + name(sql.get()) + ")", failure);
        }
    }

    /** True when {@code failure} is the given constraint violation (an extended code such as SQLITE_CONSTRAINT_UNIQUE). */
    public static boolean isConstraint(Throwable failure, SQLiteErrorCode extended) {
        return sqlCause(failure).map(s -> s instanceof SQLiteException x && x.getResultCode() == extended).orElse(false);
    }

    /**
     * True when {@code failure} is a CHECK constraint violation of the named constraint. SQLite
     * names the failed constraint in its message, the only place it does.
     */
    public static boolean isCheck(Throwable failure, String constraintName) {
        return sqlCause(failure).map(s -> s instanceof SQLiteException x
                && x.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_CHECK
                && String.valueOf(x.getMessage()).contains(constraintName)).orElse(false);
    }

    private static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                // A BatchUpdateException or similar wraps the SQLite error one level down.
                for (Throwable n = s.getCause(); n != null; n = n.getCause()) {
                    if (n instanceof SQLiteException inner) return Optional.of(inner);
                }
                return Optional.of(s);
            }
            if (t.getCause() == t) break;
        }
        return Optional.empty();
    }

    private static int resultCode(SQLException e) {
        if (e instanceof SQLiteException s && s.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return s.getResultCode().code;
        }
        return e.getErrorCode();
    }

    private static String name(SQLException e) {
        if (e instanceof SQLiteException s && s.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return s.getResultCode().name();
        }
        return "SQLite error " + e.getErrorCode();
    }
}
