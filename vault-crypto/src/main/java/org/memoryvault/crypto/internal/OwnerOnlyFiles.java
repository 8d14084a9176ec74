package org.memoryvault.crypto.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Files only their owner can read: directories are created 0700 and files 0600 in the same system
 * call that creates them (no window in which they are wider). On a file system without POSIX
 * permissions the attributes are skipped and the platform default applies.
 */
public final class OwnerOnlyFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {}

    /** Creates {@code dir} and any missing parents 0700; an existing directory is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path absolute = dir.toAbsolutePath();
        if (supportsPosix(absolute)) {
            Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(absolute);
        }
    }

    /** Writes a new file (fails if it exists), 0600 from its creation, synced to disk. */
    public static void writeNew(Path file, byte[] data) throws IOException {
        Path absolute = file.toAbsolutePath();
        EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // Opened before the try: if CREATE_NEW fails, the existing file is not ours to delete.
        SeekableByteChannel ch = supportsPosix(absolute)
                ? Files.newByteChannel(absolute, options, PosixFilePermissions.asFileAttribute(FILE))
                : Files.newByteChannel(absolute, options);
        boolean done = false;
        try (ch) {
            writeFully(ch, data);
            if (ch instanceof FileChannel fc) fc.force(true);
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(absolute);
        }
    }

    /**
     * Replaces {@code file} atomically: the data goes to a 0600 temporary file in the same
     * directory, which is then renamed over {@code file}. Readers see the old or the new content.
     * A symbolic link at {@code file} is replaced itself; its target is never written.
     */
    public static void replaceAtomically(Path file, byte[] data) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = Objects.requireNonNull(absolute.getParent(), "parent directory");
        String prefix = "." + absolute.getFileName() + ".";
        Path tmp = supportsPosix(dir)
                ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(dir, prefix, ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS)) {
                writeFully(ch, data);
                ch.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /**
     * Overwrites a file's bytes with zeros, syncs, then deletes it. A missing file is not an error.
     * Links are never followed: a symbolic link (or anything but a regular file) in its place is
     * only unlinked, and a regular file with other hard links is unlinked without zeroing, so a
     * planted link never makes this zero or delete another file.
     */
    public static void overwriteAndDelete(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        }
        if (attributes.isRegularFile() && linkCount(file) == 1) zero(file);
        Files.deleteIfExists(file);           // unlink(2): removes a link itself, never its target
    }

    private static void zero(Path file) throws IOException {
        // O_NOFOLLOW: a symbolic link swapped in since the check is refused; O_RDWR never blocks on a FIFO
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ByteBuffer zeros = ByteBuffer.allocate(4096);
            long written = 0;
            while (written < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
                written += ch.write(zeros, written);
            }
            ch.force(true);
        } catch (NoSuchFileException gone) {
            // deleted meanwhile: nothing left to zero
        } catch (FileSystemException swapped) {
            if (Files.isSymbolicLink(file)) return;   // ELOOP: replaced by a link since the check; only unlink it
            throw swapped;
        }
    }

    /** The file's hard-link count, or 1 where the file system does not say. */
    private static int linkCount(Path file) throws IOException {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /** True when {@code path} is a directory itself, not a symbolic link to one. */
    public static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** The file's POSIX permissions, or empty where the file system has none. */
    public static Optional<Set<PosixFilePermission>> permissions(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) return Optional.empty();
        return Optional.of(view.readAttributes().permissions());
    }

    /** True when {@code actual} grants anything outside {@code allowed}. */
    public static boolean widerThan(Set<PosixFilePermission> actual, Set<PosixFilePermission> allowed) {
        return !allowed.containsAll(actual);
    }

    /**
     * Narrows an existing directory to 0700 if it is wider (e.g. created by hand). A symbolic link
     * in its place is refused: narrowing would change the link's target.
     */
    public static void restrictDirectory(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) throw new FileSystemException(dir.toString(), null, "is a symbolic link, not a directory");
        Optional<Set<PosixFilePermission>> perms = permissions(dir);
        if (perms.isPresent() && widerThan(perms.get(), DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void writeFully(SeekableByteChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) ch.write(b);
    }
}
