package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.interfaces.SecretStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.inject.Inject;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.BackupCipher;

/**
 * The backup file of docs/FORMAT.md §14, in its two forms: to age recipients ({@link AgeBackupStream}),
 * or under a backup passphrase with libsodium only:
 * <pre>
 * prefix = "MVBK" || 0x01 || u32be header length || header || 0x02 (Argon2id13) || u32be opslimit || u64be memlimit || salt (16)
 *          || check (16) = BLAKE2b-128(key = key, "memory-vault/backup/check")
 * file   = prefix || secretstream header (24) || chunks, each u32be length || crypto_secretstream_xchacha20poly1305_push(
 *              records, ad = prefix, tag = MESSAGE, or FINAL for the last)
 * key    = Argon2id(32 bytes, the passphrase, salt, opslimit, memlimit)
 * </pre>
 * Each chunk's plaintext is whole records, each {@code u32be length || record}, about 64 KiB per
 * chunk, so writing and reading hold one chunk at a time.
 *
 * <p>Security: the header travels in the clear and is authenticated as every chunk's associated
 * data; the key and the stream state are wiped when the writer or reader closes.
 */
final class SodiumBackupCipher implements BackupCipher {
    private static final byte[] MAGIC = {'M', 'V', 'B', 'K', 1};
    private static final int ARGON2ID13 = 2;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int CHECK_BYTES = 16;
    /** The largest Argon2id cost a backup may ask for: the sensitive preset's memory, a few more passes. */
    private static final long MAX_OPS = 8;
    private static final long MAX_MEMORY = 1L << 30;
    /** A chunk holds whole records, and a record at most one memory's content with its row: far below this. */
    private static final int MAX_CHUNK_BYTES = 256 * 1024 * 1024;

    private final Libsodium sodium;

    @Inject
    SodiumBackupCipher(LazySodiumJava binding) { this(new Libsodium(binding)); }

    SodiumBackupCipher(Libsodium sodium) { this.sodium = Objects.requireNonNull(sodium, "sodium"); }

    @Override
    public Writer create(OutputStream out, byte[] header, SlotSecret passphrase, KdfParameters kdf) {
        if (header.length > MAX_HEADER_BYTES) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "backup header too long");
        byte[] salt = sodium.randomBytes(Libsodium.SALT_BYTES);
        byte[] key = new byte[Libsodium.KEY_BYTES];
        sodium.argon2id(key, passphrase.revealForCrypto(), salt, kdf.opsLimit(), kdf.memLimitBytes());
        SecretStream.State state = new SecretStream.State();
        byte[] streamHeader = new byte[Libsodium.SECRETSTREAM_HEADER_BYTES];
        byte[] prefix;
        try {
            prefix = prefix(header, kdf, salt, check(key));
            sodium.secretStreamInitPush(state, streamHeader, key);
        } finally {
            Libsodium.wipe(key);
        }
        StreamWriter w = new StreamWriter(new DataOutputStream(out), state, prefix);
        try {
            w.out.write(prefix);
            w.out.write(streamHeader);
        } catch (IOException e) {
            w.close();
            throw io(e);
        }
        return w;
    }

    @Override
    public Writer createForRecipients(OutputStream out, byte[] header, java.util.List<String> recipients) {
        return AgeBackupStream.create(out, header, recipients);
    }

    @Override
    public Reader read(InputStream in) {
        java.io.PushbackInputStream peek = new java.io.PushbackInputStream(in, AgeBackupStream.AGE_MAGIC.length);
        DataInputStream data = new DataInputStream(peek);
        try {
            byte[] start = new byte[AgeBackupStream.AGE_MAGIC.length];
            int n = peek.readNBytes(start, 0, start.length);
            peek.unread(start, 0, n);
            if (n == start.length && Arrays.equals(start, AgeBackupStream.AGE_MAGIC)) return new AgeBackupStream.AgeReader(peek);
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw notABackup();
            int headerLength = data.readInt();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) throw notABackup();
            byte[] header = new byte[headerLength];
            data.readFully(header);
            int alg = data.readUnsignedByte();
            long ops = data.readInt() & 0xffffffffL;
            long mem = data.readLong();
            byte[] salt = new byte[Libsodium.SALT_BYTES];
            data.readFully(salt);
            byte[] check = new byte[CHECK_BYTES];
            data.readFully(check);
            if (alg != ARGON2ID13) throw notABackup();
            if (ops > MAX_OPS || mem > MAX_MEMORY) {
                // the cost is read before anything is authenticated: a file asking for more than any preset is refused unrun
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup asks for an Argon2id cost beyond any preset ("
                        + ops + " passes, " + (mem >> 20) + " MiB)", null);
            }
            KdfParameters kdf;
            try {
                kdf = new KdfParameters(ops, mem);
            } catch (VaultException e) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup's Argon2id parameters are out of range", null);
            }
            byte[] streamHeader = new byte[Libsodium.SECRETSTREAM_HEADER_BYTES];
            data.readFully(streamHeader);
            return new StreamReader(data, prefix(header, kdf, salt, check), header, kdf, salt, check, streamHeader);
        } catch (EOFException e) {
            throw notABackup();
        } catch (IOException e) {
            throw io(e);
        }
    }

    private static byte[] prefix(byte[] header, KdfParameters kdf, byte[] salt, byte[] check) {
        return ByteBuffer.allocate(MAGIC.length + 4 + header.length + 1 + 4 + 8 + salt.length + check.length).put(MAGIC)
                .putInt(header.length).put(header).put((byte) ARGON2ID13).putInt((int) kdf.opsLimit()).putLong(kdf.memLimitBytes())
                .put(salt).put(check).array();
    }

    /** Tells a wrong passphrase from a damaged file: BLAKE2b-128 keyed with the stream key (no more than the first chunk tells). */
    private byte[] check(byte[] key) {
        return sodium.keyedGenericHash(CHECK_BYTES, "memory-vault/backup/check".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key);
    }

    private final class StreamWriter implements Writer {
        final DataOutputStream out;
        private final SecretStream.State state;
        private final byte[] ad;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK_BYTES + 1024);
        private boolean done;

        StreamWriter(DataOutputStream out, SecretStream.State state, byte[] ad) {
            this.out = out;
            this.state = state;
            this.ad = ad;
        }

        @Override
        public void write(byte[] record) {
            if (done) throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the backup writer is closed", null);
            buffer.write(record.length >>> 24);
            buffer.write(record.length >>> 16);
            buffer.write(record.length >>> 8);
            buffer.write(record.length);
            buffer.writeBytes(record);
            if (buffer.size() >= CHUNK_BYTES) push(Libsodium.SECRETSTREAM_TAG_MESSAGE);
        }

        @Override
        public void finish() {
            push(Libsodium.SECRETSTREAM_TAG_FINAL);
            done = true;
            try {
                out.flush();
            } catch (IOException e) {
                throw io(e);
            }
        }

        private void push(byte tag) {
            byte[] plain = buffer.toByteArray();
            buffer.reset();
            try {
                byte[] chunk = sodium.secretStreamPush(state, plain, plain.length, ad, tag);
                out.writeInt(chunk.length);
                out.write(chunk);
            } catch (IOException e) {
                throw io(e);
            } finally {
                Libsodium.wipe(plain);
            }
        }

        @Override
        public void close() {
            done = true;
            buffer.reset();
            state.clear();
            if (state.k != null) Arrays.fill(state.k, (byte) 0);
        }
    }

    private final class StreamReader implements Reader {
        private final DataInputStream in;
        private final byte[] ad;
        private final byte[] header;
        private final KdfParameters kdf;
        private final byte[] salt;
        private final byte[] check;
        private final byte[] streamHeader;
        private final SecretStream.State state = new SecretStream.State();
        private final ArrayDeque<byte[]> records = new ArrayDeque<>();
        private boolean opened;
        private boolean finalSeen;

        StreamReader(DataInputStream in, byte[] ad, byte[] header, KdfParameters kdf, byte[] salt, byte[] check, byte[] streamHeader) {
            this.check = check;
            this.in = in;
            this.ad = ad;
            this.header = header;
            this.kdf = kdf;
            this.salt = salt;
            this.streamHeader = streamHeader;
        }

        @Override public byte[] header() { return header.clone(); }

        @Override public boolean forRecipients() { return false; }

        @Override
        public void openWithIdentities(SlotSecret identityFile) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                    "this backup is under a backup passphrase, not encrypted to age recipients: open it with --backup-passphrase-file FILE");
        }

        @Override
        public void open(SlotSecret passphrase) {
            byte[] key = new byte[Libsodium.KEY_BYTES];
            try {
                sodium.argon2id(key, passphrase.revealForCrypto(), salt, kdf.opsLimit(), kdf.memLimitBytes());
                if (!java.security.MessageDigest.isEqual(check(key), check)) throw wrong();
                if (!sodium.secretStreamInitPull(state, streamHeader, key)) throw tampered("its stream header is malformed");
            } finally {
                Libsodium.wipe(key);
            }
            opened = true;
        }

        @Override
        public Optional<byte[]> next() {
            if (!opened) throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "the backup reader is not open", null);
            try {
                while (records.isEmpty()) {
                    if (finalSeen) {
                        if (in.read() != -1) throw tampered("bytes follow its final chunk");
                        return Optional.empty();
                    }
                    readChunk();
                }
                return Optional.of(records.removeFirst());
            } catch (IOException e) {
                throw io(e);
            }
        }

        private void readChunk() throws IOException {
            int length;
            byte[] chunk;
            try {
                length = in.readInt();
                if (length < Libsodium.SECRETSTREAM_ABYTES || length > MAX_CHUNK_BYTES) throw tampered("a chunk length out of range");
                try {
                    chunk = new byte[length];
                } catch (OutOfMemoryError e) {
                    throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "a chunk of " + (length >> 20) + " MiB in the backup does not"
                            + " fit in this JVM's heap; give it more with VAULT_JAVA_OPTS=-Xmx...", null);
                }
                in.readFully(chunk);
            } catch (EOFException e) {
                throw tampered("it ends before its final chunk (truncated)");
            }
            byte[] plain = new byte[length - Libsodium.SECRETSTREAM_ABYTES];
            int tag = sodium.secretStreamPull(state, plain, chunk, ad);
            if (tag < 0) throw tampered("a chunk failed authentication");
            if (tag == Libsodium.SECRETSTREAM_TAG_FINAL) finalSeen = true;
            else if (tag != Libsodium.SECRETSTREAM_TAG_MESSAGE) throw tampered("a chunk with an unexpected tag");
            ByteBuffer b = ByteBuffer.wrap(plain);
            while (b.hasRemaining()) {
                if (b.remaining() < 4) throw tampered("a record length cut off");
                int n = b.getInt();
                if (n < 0 || n > b.remaining()) throw tampered("a record length beyond its chunk");
                byte[] record = new byte[n];
                b.get(record);
                records.addLast(record);
            }
            Libsodium.wipe(plain);
        }

        @Override
        public void close() {
            records.clear();
            state.clear();
            if (state.k != null) Arrays.fill(state.k, (byte) 0);
        }
    }

    private static InvalidInputException notABackup() {
        return new InvalidInputException(ErrorCode.INPUT_INVALID, "not a Memory Vault backup file, nor an age file (or one cut short in its header)");
    }

    private static AccessRefusedException wrong() {
        return new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong backup passphrase");
    }

    private static IntegrityException tampered(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup is damaged: " + what, null);
    }

    private static InternalVaultException io(IOException e) {
        return new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "reading or writing the backup file failed: " + e.getMessage(), e);
    }
}
