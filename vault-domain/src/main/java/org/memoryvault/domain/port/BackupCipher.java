package org.memoryvault.domain.port;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.SlotSecret;

/**
 * The backup file's encryption (docs/FORMAT.md §14): a plaintext header, then the records in an
 * authenticated stream (libsodium's secretstream) under a key derived from the backup passphrase
 * with Argon2id. The header is authenticated with every chunk; the stream's last chunk is marked
 * final, so a truncated, reordered, edited or spliced file is refused.
 *
 * <p>Security: the passphrase is read, not kept; the stream key is wiped when the writer or reader closes.
 */
public interface BackupCipher {
    /** Starts a backup file on {@code out}: writes the header (with the KDF parameters added) and returns the record writer. */
    Writer create(OutputStream out, byte[] header, SlotSecret passphrase, KdfParameters kdf);

    /**
     * Reads a backup file's header; {@link Reader#open} then derives the key. A file that is not a
     * backup is {@code INPUT_INVALID}.
     */
    Reader read(InputStream in);

    /** Writes records; {@link #finish} writes the final chunk. Closing without finishing leaves a file no reader accepts. */
    interface Writer extends AutoCloseable {
        void write(byte[] record);

        void finish();

        @Override void close();
    }

    /** Reads a backup file. */
    interface Reader extends AutoCloseable {
        /** The header as the file holds it (authenticated only once {@link #open} and every record were read). */
        byte[] header();

        /** Derives the key from the passphrase; a wrong one is {@code ACCESS_WRONG_SECRET} (the file carries a check of the key). */
        void open(SlotSecret passphrase);

        /**
         * The next record, or empty after the final chunk. A chunk that fails authentication, a
         * file that ends before the final chunk or goes on after it, is {@code INTEGRITY_TAMPERED}.
         */
        Optional<byte[]> next();

        @Override void close();
    }
}
