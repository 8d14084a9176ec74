package org.memoryvault.adapters.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The boundary daemon API token, read fresh from its file for every request: {@code bd_} followed
 * by 43 url-safe base64 characters, optionally followed by a newline.
 *
 * <p>Security: the file must be a regular file with no permission beyond owner read/write (0600 or
 * stricter), else it is not read at all. The token is kept as bytes, never as a {@code String};
 * {@link #close()} zeroes them. No message, {@code toString} or reason ever contains the token or
 * any byte of the file. Not guaranteed: the file's owner is not checked (a 0600 file this process
 * can read belongs to its user or the process is root), and the kernel's page cache is out of reach.
 */
final class DaemonToken implements AutoCloseable {
    static final String PREFIX = "bd_";
    static final int BODY_LENGTH = 43;
    static final int LENGTH = PREFIX.length() + BODY_LENGTH;

    private static final Set<PosixFilePermission> ALLOWED =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    /** A token file bigger than this is not a token file; it is not read further. */
    private static final int MAX_FILE_BYTES = 1024;

    private final byte[] bytes;

    private DaemonToken(byte[] bytes) { this.bytes = bytes; }

    /** Reads and checks the token file; every problem is a refusal naming the file, never its content. */
    static DaemonToken read(Path file) throws BoundaryRefusal {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BoundaryRefusal("token file " + file + " is missing (boundary.token-file)");
        } catch (UnsupportedOperationException e) {
            throw new BoundaryRefusal("token file " + file + " is on a file system without POSIX permissions, so its 0600 mode cannot be checked");
        } catch (IOException e) {
            throw new BoundaryRefusal("cannot inspect token file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!attributes.isRegularFile()) throw new BoundaryRefusal("token file " + file + " is not a regular file");
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (!ALLOWED.containsAll(permissions)) {
            throw new BoundaryRefusal("token file " + file + " has permissions " + PosixFilePermissions.toString(permissions)
                    + "; it must be 0600 or stricter (chmod 600 " + file + ")");
        }
        byte[] raw;
        try (InputStream in = Files.newInputStream(file)) {
            raw = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (AccessDeniedException e) {
            throw new BoundaryRefusal("token file " + file + " is not readable by the vault's user");
        } catch (IOException e) {
            throw new BoundaryRefusal("cannot read token file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return parse(raw, file);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static DaemonToken parse(byte[] raw, Path file) throws BoundaryRefusal {
        int start = 0;
        int end = raw.length;
        while (start < end && isBlank(raw[start])) start++;
        while (end > start && isBlank(raw[end - 1])) end--;
        boolean wellFormed = raw.length <= MAX_FILE_BYTES && end - start == LENGTH;
        for (int i = 0; wellFormed && i < PREFIX.length(); i++) wellFormed = raw[start + i] == PREFIX.charAt(i);
        for (int i = start + PREFIX.length(); wellFormed && i < end; i++) wellFormed = isUrlSafe(raw[i]);
        if (!wellFormed) {
            throw new BoundaryRefusal("token file " + file + " does not hold a daemon token (expected bd_ followed by "
                    + BODY_LENGTH + " url-safe base64 characters)");
        }
        return new DaemonToken(Arrays.copyOfRange(raw, start, end));
    }

    private static boolean isBlank(byte b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r'; }

    private static boolean isUrlSafe(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
    }

    /** The token's ASCII bytes; the caller must not keep or copy them beyond the request it builds. */
    byte[] revealForRequest() { return bytes; }

    @Override
    public void close() { Arrays.fill(bytes, (byte) 0); }

    @Override
    public String toString() { return "DaemonToken[redacted]"; }
}
