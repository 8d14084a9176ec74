package org.memoryvault.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.BackupCipher;

/**
 * The age form of a backup file (docs/FORMAT.md §14, "To age recipients"): a standard age file
 * (age-encryption.org/v1, X25519 recipients; Jagged over the JDK's X25519 and ChaCha20-Poly1305)
 * whose payload is
 * <pre>
 * "MVBK" || 0x01 || u32be header length || header || 0x00 (no KDF: the age file is the encryption) || records, each u32be length || record
 * </pre>
 * age authenticates the payload in 64 KiB chunks, the last one marked final, and the header of the
 * age file with a MAC under the file key; so an edited, cut or lengthened file fails as the
 * passphrase form does.
 */
final class AgeBackupStream {
    /** How every age file begins (its version line). */
    static final byte[] AGE_MAGIC = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = {'M', 'V', 'B', 'K', 1};
    private static final int NO_KDF = 0;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
    private static final int MAX_RECIPIENTS = 64;

    private AgeBackupStream() {}

    static BackupCipher.Writer create(OutputStream out, byte[] header, List<String> recipients) {
        if (header.length > MAX_HEADER_BYTES) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "backup header too long");
        if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a backup needs 1 to " + MAX_RECIPIENTS + " age recipients");
        }
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (String r : recipients) {
            try {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(bech32Case(r.strip())));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not an age X25519 recipient (age1...): " + shown(r));
            }
        }
        try {
            // the channel's close writes age's final chunk: the caller's stream is not closed with it
            WritableByteChannel age = new StandardEncryptingChannelFactory().newEncryptingChannel(
                    Channels.newChannel(new FilterOutputStream(out) {
                        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

                        @Override public void close() throws IOException { out.flush(); }
                    }), writers);
            AgeWriter w = new AgeWriter(age);
            w.payload.write(MAGIC);
            w.payload.writeInt(header.length);
            w.payload.write(header);
            w.payload.write(NO_KDF);
            return w;
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the JDK lacks what age needs (X25519, ChaCha20-Poly1305)", e);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** Bech32 is case-insensitive but never mixed: an all-upper-case recipient ({@code AGE1...}, as age accepts it) is lowered. */
    static String bech32Case(String r) {
        return r.equals(r.toUpperCase(java.util.Locale.ROOT)) ? r.toLowerCase(java.util.Locale.ROOT) : r;
    }

    /** A recipient as shown in an error: an age recipient is public, but a pasted secret key is cut short. */
    private static String shown(String r) {
        String s = r.strip();
        if (s.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "").contains("SECRETKEY") || s.length() > 70) {
            return "a text that may be a secret key (not shown; give the public age1... recipient)";
        }
        return s.chars().allMatch(c -> c >= 0x21 && c < 0x7f) ? s : "a text with characters no recipient has (not shown)";
    }

    private static final class AgeWriter implements BackupCipher.Writer {
        private final WritableByteChannel age;
        final DataOutputStream payload;
        private boolean done;

        AgeWriter(WritableByteChannel age) {
            this.age = age;
            // the channel is not closed through this stream: close() without finish() must not write a final chunk
            this.payload = new DataOutputStream(new BufferedOutputStream(new OutputStream() {
                @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

                @Override public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) age.write(buffer);
                }
            }, 1 << 16));
        }

        @Override
        public void write(byte[] record) {
            if (done) throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the backup writer is closed", null);
            try {
                payload.writeInt(record.length);
                payload.write(record);
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public void finish() {
            try {
                payload.flush();
                age.close();            // age's final chunk
                done = true;
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public void close() {
            done = true;               // unfinished: no final chunk, so no reader accepts the file
        }
    }

    /** Reads an age backup; the stream is positioned at the age file's first byte. */
    static final class AgeReader implements BackupCipher.Reader {
        private final InputStream in;
        private @Nullable DataInputStream payload;
        private byte @Nullable [] header;

        AgeReader(InputStream in) { this.in = Objects.requireNonNull(in, "in"); }

        @Override public boolean forRecipients() { return true; }

        @Override
        public byte[] header() {
            if (header == null) throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the age backup is not open", null);
            return header.clone();
        }

        @Override
        public void open(SlotSecret passphrase) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                    "this backup is encrypted to age recipients, not under a backup passphrase: open it with --identity FILE");
        }

        @Override
        public void openWithIdentities(SlotSecret identityFile) {
            List<RecipientStanzaReader> readers = identities(identityFile);
            DataInputStream data;
            try {
                data = new DataInputStream(new BufferedInputStream(Channels.newInputStream(
                        new StandardDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(in), readers)), 1 << 16));
            } catch (GeneralSecurityException e) {
                // every stanza tried with every identity, none unwrapped the file key (or the header's MAC failed under it)
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET,
                        "no identity in the identity file opens this backup (it was made for other age recipients, or its age header was edited)");
            } catch (IOException | RuntimeException e) {
                // Jagged reports a malformed or cut header as I/O errors, and some as runtime exceptions (a buffer underflow)
                throw tampered("its age header is malformed or cut short");
            }
            try {
                byte[] magic = new byte[MAGIC.length];
                data.readFully(magic);
                int length = data.readInt();
                if (!Arrays.equals(magic, MAGIC) || length < 0 || length > MAX_HEADER_BYTES) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an age file, but not a Memory Vault backup");
                }
                byte[] h = new byte[length];
                data.readFully(h);
                if (data.readUnsignedByte() != NO_KDF) throw tampered("its payload names a key derivation an age backup never has");
                header = h;
                payload = data;
            } catch (VaultException e) {
                throw e;
            } catch (EOFException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an age file, but not a Memory Vault backup");
            } catch (IOException | RuntimeException e) {
                throw payloadFailed();
            }
        }

        @Override
        public Optional<byte[]> next() {
            DataInputStream data = payload;
            if (data == null) throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the backup reader is not open", null);
            try {
                int first = data.read();
                if (first < 0) return Optional.empty();     // age's final chunk was read and authenticated
                int length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8) | data.readUnsignedByte();
                if (length < 0 || length > MAX_RECORD_BYTES) throw tampered("a record length out of range");
                // read as it comes, never allocated ahead: a crafted length on a short file ends as a cut record, not a full heap
                byte[] record = data.readNBytes(length);
                if (record.length != length) throw tampered("a record cut off");
                return Optional.of(record);
            } catch (OutOfMemoryError e) {
                throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "a record of the backup does not fit in this JVM's heap;"
                        + " give it more with VAULT_JAVA_OPTS=-Xmx...", null);
            } catch (VaultException e) {
                throw e;
            } catch (EOFException e) {
                throw tampered("a record cut off");
            } catch (IOException | RuntimeException e) {
                throw payloadFailed();
            }
        }

        @Override public void close() { payload = null; }
    }

    /** The identities of an age identity file: {@code AGE-SECRET-KEY-1...} lines, blank lines and {@code #} comments skipped. */
    private static List<RecipientStanzaReader> identities(SlotSecret identityFile) {
        byte[] bytes = identityFile.revealForCrypto();
        CharBuffer text = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        List<RecipientStanzaReader> readers = new ArrayList<>();
        try {
            int start = 0;
            for (int i = 0; i <= text.limit(); i++) {
                if (i < text.limit() && text.get(i) != '\n') continue;
                int end = i > start && text.get(i - 1) == '\r' ? i - 1 : i;
                CharBuffer line = text.duplicate().position(start).limit(end).slice();
                start = i + 1;
                if (line.length() == 0 || line.charAt(0) == '#') continue;
                try {
                    readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(line));
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                            "the identity file holds a line that is not an age X25519 identity (AGE-SECRET-KEY-1...)");
                }
            }
        } finally {
            Arrays.fill(text.array(), '\0');
        }
        if (readers.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the identity file holds no age identity");
        return readers;
    }

    private static IntegrityException payloadFailed() {
        // Jagged reports a chunk that fails authentication, a file cut short before its final chunk and bytes after it as I/O
        // errors (and may throw a runtime exception on malformed input): all of them are a damaged file here
        return tampered("its age payload does not authenticate (edited, cut short or lengthened)");
    }

    private static IntegrityException tampered(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup is damaged: " + what, null);
    }

    private static InternalVaultException io(IOException e) {
        return new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "writing the backup file failed: " + e.getMessage(), e);
    }
}
