package org.memoryvault.domain.port;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.SlotSecret;

/**
 * The backup file's encryption (docs/FORMAT.md §14), in one of two forms. Under a backup
 * passphrase: a plaintext header, then the records in an authenticated stream (libsodium's
 * secretstream) under a key derived from the passphrase with Argon2id; the header is authenticated
 * with every chunk. To age recipients: a standard age file (age-encryption.org/v1, X25519
 * recipients) whose payload is the header and the records, so the stock {@code age} tool opens it.
 * Either way the stream's last chunk is marked final, so a truncated, reordered, edited or spliced
 * file is refused.
 *
 * <p>Security: the passphrase or identity is read, not kept; the stream key is wiped when the writer or reader closes.
 */
public interface BackupCipher {
    /** Starts a backup file on {@code out}: writes the header (with the KDF parameters added) and returns the record writer. */
    Writer create(OutputStream out, byte[] header, SlotSecret passphrase, KdfParameters kdf);

    /**
     * Starts an age file to {@code recipients} ({@code age1...} X25519 recipients, at least one) on
     * {@code out}, its payload the header and then the records. A recipient that is not a valid
     * X25519 recipient is {@code INPUT_INVALID}, naming it.
     */
    Writer createForRecipients(OutputStream out, byte[] header, java.util.List<String> recipients);

    /**
     * Starts reading a backup file of either form; {@link Reader#open} or {@link Reader#openWithIdentities}
     * (as {@link Reader#forRecipients} says) then opens it. A file that is neither form is {@code INPUT_INVALID}.
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
        /** Whether the file is an age file to recipients (opened with identities) rather than under a backup passphrase. */
        boolean forRecipients();

        /**
         * The header as the file holds it, once opened (authenticated only once every record was
         * read). A passphrase file's header is in the clear and may be read before.
         */
        byte[] header();

        /** Derives the key from the passphrase; a wrong one is {@code ACCESS_WRONG_SECRET} (the file carries a check of the key). */
        void open(SlotSecret passphrase);

        /**
         * Opens an age file with the identities of an age identity file ({@code AGE-SECRET-KEY-1...}
         * lines; blank lines and {@code #} comments skipped): none that opens it is
         * {@code ACCESS_WRONG_SECRET}; a text that holds no identity is {@code INPUT_INVALID}.
         */
        void openWithIdentities(SlotSecret identityFile);

        /**
         * The next record, or empty after the final chunk. A chunk that fails authentication, a
         * file that ends before the final chunk or goes on after it, is {@code INTEGRITY_TAMPERED}.
         */
        Optional<byte[]> next();

        @Override void close();
    }
}
