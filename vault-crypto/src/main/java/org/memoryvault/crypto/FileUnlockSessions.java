package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.crypto.internal.OwnerOnlyFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * Unlock sessions across processes, in the style of {@code bw unlock}: {@link #persist} writes the
 * data key, encrypted under a key derived from a random token, to {@code <dir>/<profile>.session};
 * the user exports the token (the app reads it from {@code $MEMORY_VAULT_SESSION}) and later
 * processes {@link #resume} with it until the record expires. Layout: docs/FORMAT.md §8.
 *
 * <p>Security: the record alone does not reveal the key, and the token alone is useless; both
 * together give the data key to anyone, and the expiry is enforced by this code, not by the
 * cryptography (a copy of the record plus the token opens after expiry too). The token is never
 * written to disk by this class. Records are 0600 in a 0700 directory, replaced atomically, and
 * overwritten with zeros before deletion (best effort on copy-on-write or flash storage). Links are
 * never followed when records are overwritten or deleted: a symbolic link in place of a record, or
 * of the directory, never makes this class zero, replace or delete another file.
 * A record this token cannot open is ignored, not deleted: it may belong to another shell's token.
 */
final class FileUnlockSessions implements UnlockSessions {
    static final String SUFFIX = ".session";
    static final int TOKEN_BYTES = 32;
    private static final byte[] MAGIC = {'M', 'V', 'S', 'S'};
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = MAGIC.length + 1 + 8 + 4;
    static final int RECORD_BYTES = HEADER_BYTES + Libsodium.NONCE_BYTES + Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;
    private static final byte[] KEY_MESSAGE = "memory-vault/session/v1".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final Supplier<Optional<String>> currentToken;
    private final Clock clock;
    private final Libsodium sodium;

    FileUnlockSessions(Path dir, Supplier<Optional<String>> currentToken, Clock clock, LazySodiumJava binding) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.currentToken = Objects.requireNonNull(currentToken, "currentToken");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sodium = new Libsodium(binding);
    }

    @Override
    public Optional<DataKey> resume(ProfileId profile) {
        Optional<byte[]> token = currentToken.get().flatMap(FileUnlockSessions::decodeToken);
        if (token.isEmpty()) return Optional.empty();
        byte[] sessionKey = new byte[0];
        try {
            Optional<byte[]> read = readRecord(recordFile(profile));
            if (read.isEmpty()) return Optional.empty();
            ByteBuffer record = ByteBuffer.wrap(read.get());
            byte[] magic = new byte[MAGIC.length];
            record.get(magic);
            if (!Arrays.equals(magic, MAGIC) || record.get() != VERSION) return Optional.empty();
            long expiresAt = record.getLong();
            int keyVersion = record.getInt();
            if (clock.instant().getEpochSecond() >= expiresAt) {
                destroy(profile);
                return Optional.empty();
            }
            byte[] nonce = new byte[Libsodium.NONCE_BYTES];
            record.get(nonce);
            byte[] ciphertext = new byte[record.remaining()];
            record.get(ciphertext);
            sessionKey = sessionKey(token.get());
            byte[] dek = new byte[Libsodium.KEY_BYTES];
            if (!sodium.aeadDecrypt(dek, sessionKey, nonce, associatedData(read.get(), profile), ciphertext)) {
                return Optional.empty();  // another token's record, or an edited one: leave it
            }
            return Optional.of(new SodiumDataKey(profile, keyVersion, dek));
        } finally {
            Libsodium.wipe(token.get(), sessionKey);
        }
    }

    @Override
    public SessionToken persist(DataKey key, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        String token = currentToken.get().filter(t -> decodeToken(t).isPresent())
                .orElseGet(() -> Base64.getUrlEncoder().withoutPadding().encodeToString(sodium.randomBytes(TOKEN_BYTES)));
        byte[] tokenBytes = decodeToken(token).orElseThrow();
        byte[] sessionKey = sessionKey(tokenBytes);
        byte[] dek = SodiumDataKey.copyOf(key);
        try {
            byte[] header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put((byte) VERSION)
                    .putLong(expiresAt.getEpochSecond()).putInt(key.keyVersion()).array();
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] ciphertext = sodium.aeadEncrypt(sessionKey, nonce, associatedData(header, key.profile()), dek);
            byte[] record = ByteBuffer.allocate(RECORD_BYTES).put(header).put(nonce).put(ciphertext).array();
            OwnerOnlyFiles.createDirectories(dir);
            OwnerOnlyFiles.restrictDirectory(dir);
            OwnerOnlyFiles.replaceAtomically(recordFile(key.profile()), record);
            return new SessionToken(token);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "cannot write the session record in " + dir, e);
        } finally {
            Libsodium.wipe(tokenBytes, sessionKey, dek);
        }
    }

    @Override
    public void destroy(ProfileId profile) {
        if (!OwnerOnlyFiles.isRealDirectory(dir)) return;   // missing, or a planted link: no record of ours is there
        try {
            OwnerOnlyFiles.overwriteAndDelete(recordFile(profile));
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "cannot delete the session record of " + profile, e);
        }
    }

    @Override
    public void destroyAll() {
        if (!OwnerOnlyFiles.isRealDirectory(dir)) return;   // missing, or a planted link: no record of ours is there
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().endsWith(SUFFIX) || isTemporary(p))) {
            for (Path f : files) {
                OwnerOnlyFiles.overwriteAndDelete(f);           // a link in a record's place is unlinked, its target untouched
            }
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "cannot delete the session records in " + dir, e);
        }
    }

    private Path recordFile(ProfileId profile) {
        return dir.resolve(profile.value() + SUFFIX);
    }

    /** Left-over temporary files of {@link OwnerOnlyFiles#replaceAtomically} (".name.session.NNN.tmp"). */
    private static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.contains(SUFFIX + ".") && name.endsWith(".tmp");
    }

    /** BLAKE2b-256 keyed with the token's 32 bytes, over a fixed label. */
    private byte[] sessionKey(byte[] token) {
        return sodium.keyedGenericHash(Libsodium.KEY_BYTES, KEY_MESSAGE, token);
    }

    /** The record's 17 header bytes, then the profile id's UTF-8 bytes. */
    private static byte[] associatedData(byte[] recordOrHeader, ProfileId profile) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER_BYTES + p.length).put(recordOrHeader, 0, HEADER_BYTES).put(p).array();
    }

    /** The record's bytes, or empty when there is none or it has not the record's exact size. */
    private static Optional<byte[]> readRecord(Path file) {
        byte[] buffer = new byte[RECORD_BYTES + 1];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            return Optional.empty();  // missing or unreadable: no session, the caller falls back to a secret
        }
        return n == RECORD_BYTES ? Optional.of(Arrays.copyOf(buffer, RECORD_BYTES)) : Optional.empty();
    }

    /** The token's 32 bytes if it is canonical unpadded base64url of 32 bytes (43 characters). */
    static Optional<byte[]> decodeToken(String token) {
        if (!token.matches("[A-Za-z0-9_-]{43}")) return Optional.empty();
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != TOKEN_BYTES || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            Libsodium.wipe(bytes);
            return Optional.empty();
        }
        return Optional.of(bytes);
    }
}
