package org.memoryvault.storage.sqlite.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * The vault directory and its database files, created owner-only: the directory 0700, files 0600.
 * Permissions are given at creation (no window where a file is wider), and the database's -wal and
 * -shm companions are narrowed again after SQLite opened them, whatever the umask.
 */
public final class VaultFiles {
    public static final String DATABASE_FILE = "vault.db";
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final String[] COMPANIONS = {"", "-wal", "-shm", "-journal"};

    private VaultFiles() {}

    /**
     * Creates {@code dir} (and missing parents) 0700 if it is missing, then proves it writable by
     * creating and deleting a probe file: {@link Files#isWritable} alone is not enough (it answers
     * yes to root everywhere, and no for read-only mounts only sometimes).
     *
     * @throws InvalidInputException {@code STORAGE_NOT_WRITABLE} when the directory cannot be
     *                               created or written
     */
    public static void ensureWritableDirectory(Path dir) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw notWritable(dir, "it exists and is not a directory");
        }
        if (!Files.isDirectory(dir)) {
            try {
                if (posix()) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } else {
                    Files.createDirectories(dir);
                }
            } catch (IOException | SecurityException e) {
                throw notWritable(dir, "it cannot be created");
            }
        }
        if (!Files.isWritable(dir)) {
            throw notWritable(dir, "its permissions do not allow writing");
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-probe-", ".tmp", ownerOnlyFile());
            Files.delete(probe);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw notWritable(dir, "a file cannot be created in it");
        }
    }

    /** Creates the database file empty and 0600 unless it exists. An empty file is a valid, empty SQLite database. */
    public static void ensureDatabaseFile(Path file) {
        try {
            Files.createFile(file, ownerOnlyFile());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE, file + " exists and is not a regular file");
            }
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE, "cannot create the vault database " + file);
        }
    }

    /**
     * Refuses a database file, or a -wal, -shm or -journal companion, that is a symbolic link
     * ({@code STORAGE_NOT_WRITABLE}): SQLite would write, truncate and delete through it, into the
     * link's target.
     */
    public static void refuseSymbolicLinks(Path file) {
        for (String suffix : COMPANIONS) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isSymbolicLink(p)) {
                throw new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE, p + " is a symbolic link; the vault never writes"
                        + " through links (remove it, or put the real file there)");
            }
        }
    }

    /** Narrows the database file and its -wal, -shm and -journal companions, where present, to 0600. */
    public static void restrictDatabaseFiles(Path file) {
        if (!posix()) return;
        for (String suffix : COMPANIONS) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.setPosixFilePermissions(p, FILE);
            } catch (java.nio.file.NoSuchFileException e) {
                // SQLite removed it meanwhile (the last connection closed): nothing to narrow.
            } catch (IOException e) {
                throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE,
                        "cannot restrict the permissions of " + p + " to owner-only", e);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnlyFile() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static InvalidInputException notWritable(Path dir, String why) {
        return new InvalidInputException(ErrorCode.STORAGE_NOT_WRITABLE,
                "the vault directory " + dir + " is not writable: " + why);
    }
}
