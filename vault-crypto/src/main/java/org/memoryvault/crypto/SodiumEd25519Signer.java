package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.Sodium;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.crypto.internal.OwnerOnlyFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.port.Signer;

/**
 * The audit log's Ed25519 keys as files until a TPM holds them: epoch {@code n}'s key is the raw
 * 32-byte RFC 8032 seed in {@code <vault>/audit/signing-key-<n>}, created 0600 (directory 0700)
 * from {@code randombytes_buf}; libsodium's {@code crypto_sign_seed_keypair} and
 * {@code crypto_sign_detached} derive the key pair and sign. Build it with
 * {@code new SodiumEd25519Signer(<vault>/audit, binding)} (the module's factory should expose it).
 *
 * <p>Security: the seed and the derived secret key are wiped after every call. A key file that is
 * not a regular 32-byte file, or that others may read or write, is refused, never "repaired".
 * {@link #destroy} overwrites the file with zeros, syncs and deletes it. Anyone who can read the
 * file can sign checkpoints: keep the vault directory private.
 */
final class SodiumEd25519Signer implements Signer {
    static final String FILE_PREFIX = "signing-key-";
    private static final int SEED_BYTES = 32;
    private static final int PUBLIC_KEY_BYTES = 32;
    private static final int SECRET_KEY_BYTES = 64;
    private static final int SIGNATURE_BYTES = 64;

    private final Path dir;
    private final Sodium sodium;
    private final Libsodium libsodium;

    SodiumEd25519Signer(Path auditDir, LazySodiumJava binding) {
        this.dir = Objects.requireNonNull(auditDir, "auditDir");
        this.sodium = Objects.requireNonNull(binding, "binding").getSodium();
        this.libsodium = new Libsodium(binding);
    }

    /** The key file of {@code epoch}. */
    Path file(int epoch) {
        if (epoch < 1) throw new IllegalArgumentException("key epochs start at 1");
        return dir.resolve(FILE_PREFIX + epoch);
    }

    @Override
    public byte[] ensureKey(int epoch) {
        Path file = file(epoch);
        byte[] seed = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? load(file) : create(file);
        byte[] secret = new byte[SECRET_KEY_BYTES];
        try {
            byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
            if (sodium.crypto_sign_seed_keypair(publicKey, secret, seed) != 0) throw bug("crypto_sign_seed_keypair failed");
            return publicKey;
        } finally {
            Libsodium.wipe(seed, secret);
        }
    }

    @Override
    public byte[] sign(int epoch, byte[] message) {
        Objects.requireNonNull(message, "message");
        Path file = file(epoch);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_WRONG_KEY, "the audit signing key of epoch " + epoch
                    + " is missing (" + file + ")", null);
        }
        byte[] seed = load(file);
        byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
        byte[] secret = new byte[SECRET_KEY_BYTES];
        try {
            if (sodium.crypto_sign_seed_keypair(publicKey, secret, seed) != 0) throw bug("crypto_sign_seed_keypair failed");
            byte[] signature = new byte[SIGNATURE_BYTES];
            if (sodium.crypto_sign_detached(signature, null, message, message.length, secret) != 0) throw bug("crypto_sign_detached failed");
            return signature;
        } finally {
            Libsodium.wipe(seed, secret);
        }
    }

    @Override
    public void destroy(int epoch) {
        Path file = file(epoch);
        try {
            OwnerOnlyFiles.overwriteAndDelete(file);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "cannot destroy the audit signing key " + file, e);
        }
    }

    private byte[] create(Path file) {
        byte[] seed = libsodium.randomBytes(SEED_BYTES);
        try {
            OwnerOnlyFiles.createDirectories(dir);
            OwnerOnlyFiles.restrictDirectory(dir);
            OwnerOnlyFiles.writeNew(file, seed);
            return seed;
        } catch (FileAlreadyExistsException raced) {
            // Another process created this epoch's key first: use theirs.
            Libsodium.wipe(seed);
            return load(file);
        } catch (IOException e) {
            Libsodium.wipe(seed);
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "cannot create the audit signing key " + file, e);
        }
    }

    private static byte[] load(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "audit signing key " + file + " is not a regular file");
            }
            Optional<Set<PosixFilePermission>> perms = OwnerOnlyFiles.permissions(file);
            if (perms.isPresent() && OwnerOnlyFiles.widerThan(perms.get(), OwnerOnlyFiles.FILE)) {
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "audit signing key " + file
                        + " is accessible to others: permissions must be 0600 or stricter (chmod 600 " + file + ")");
            }
            byte[] buffer = new byte[SEED_BYTES + 1];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(buffer, 0, buffer.length);
            }
            if (n != SEED_BYTES) {
                Libsodium.wipe(buffer);
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "audit signing key " + file + " must be exactly 32 bytes");
            }
            byte[] seed = Arrays.copyOf(buffer, SEED_BYTES);
            Libsodium.wipe(buffer);
            return seed;
        } catch (NoSuchFileException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_WRONG_KEY, "the audit signing key " + file + " is missing", e);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "cannot read the audit signing key " + file, e);
        }
    }

    private static InternalVaultException bug(String message) {
        return new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, message, null);
    }
}
