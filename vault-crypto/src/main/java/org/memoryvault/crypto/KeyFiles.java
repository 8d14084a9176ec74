package org.memoryvault.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.crypto.internal.OwnerOnlyFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.SlotSecret;

/**
 * Key files: exactly 32 random bytes, nothing else (no header, no encoding; docs/FORMAT.md §7).
 *
 * <p>Security: {@link #generate} creates the file 0600 in the same call that creates it (and a
 * missing parent directory 0700), and never overwrites an existing file. {@link #load} refuses a
 * file that anyone but its owner may read or write, as ssh does for private keys. The returned
 * {@link SlotSecret} belongs to the caller, who closes it. Messages name the path, never the bytes.
 */
public final class KeyFiles {
    /** The size of every key file. */
    public static final int KEY_FILE_BYTES = 32;

    private KeyFiles() {}

    /**
     * Writes a new key file of 32 bytes from libsodium's {@code randombytes_buf}, and returns them.
     * An existing file is {@code INPUT_KEY_FILE} and is left untouched.
     */
    public static SlotSecret generate(Path file) {
        byte[] key = new Libsodium(Libsodium.sharedBinding()).randomBytes(KEY_FILE_BYTES);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) OwnerOnlyFiles.createDirectories(parent);
            OwnerOnlyFiles.writeNew(file, key);
            return SlotSecret.keyFile(key);
        } catch (FileAlreadyExistsException e) {
            Libsodium.wipe(key);
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file " + file + " already exists; not overwriting it");
        } catch (IOException e) {
            Libsodium.wipe(key);
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "cannot create key file " + file);
        }
    }

    /**
     * Reads a key file. Refused with {@code INPUT_KEY_FILE}: a missing file, anything but a regular
     * file, permissions wider than 0600, and any size but 32 bytes.
     */
    public static SlotSecret load(Path file) {
        try {
            if (!Files.exists(file)) throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file " + file + " not found");
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file " + file + " is not a regular file");
            }
            Optional<Set<PosixFilePermission>> perms = OwnerOnlyFiles.permissions(file);
            if (perms.isPresent() && OwnerOnlyFiles.widerThan(perms.get(), OwnerOnlyFiles.FILE)) {
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file " + file
                        + " is accessible to others: permissions must be 0600 or stricter (chmod 600 " + file + ")");
            }
            return SlotSecret.keyFile(readExactly(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file " + file + " not found");
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "cannot read key file " + file);
        }
    }

    /** Reads at most one byte more than a key file has, so a huge file is never loaded whole. */
    private static byte[] readExactly(Path file) throws IOException {
        byte[] buffer = new byte[KEY_FILE_BYTES + 1];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(buffer, 0, buffer.length);
        }
        if (n != KEY_FILE_BYTES) {
            Libsodium.wipe(buffer);
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file must be exactly 32 bytes");
        }
        byte[] key = Arrays.copyOf(buffer, KEY_FILE_BYTES);
        Libsodium.wipe(buffer);
        return key;
    }
}
