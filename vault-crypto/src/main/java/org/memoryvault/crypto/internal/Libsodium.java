package org.memoryvault.crypto.internal;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.Sodium;
import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.interfaces.PwHash;
import com.goterl.lazysodium.utils.LibraryLoadingException;
import com.sun.jna.NativeLong;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;

/**
 * The few libsodium functions vault-crypto uses, on byte arrays, under their libsodium names so
 * docs/FORMAT.md and docs/RECOVERY.md can be checked line by line against the code.
 *
 * <p>Every length is checked before a native call (a short array would let C read past it). A
 * non-zero return is an {@link InternalVaultException}, except for authenticated decryption, whose
 * failure is an expected outcome and is returned as {@code false}.
 *
 * <p>Security: methods never keep references to their arguments; callers own and wipe them.
 */
public final class Libsodium {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;
    public static final int SALT_BYTES = 16;
    public static final int HMAC_SHA256_BYTES = 32;
    public static final int KDF_CONTEXT_BYTES = 8;
    public static final int BOX_SEED_BYTES = 32;
    public static final int BOX_PUBLIC_KEY_BYTES = 32;
    public static final int BOX_SECRET_KEY_BYTES = 32;
    public static final int BOX_SEAL_BYTES = 48;
    public static final int SECRETSTREAM_HEADER_BYTES = 24;
    public static final int SECRETSTREAM_ABYTES = 17;
    public static final byte SECRETSTREAM_TAG_MESSAGE = 0;
    public static final byte SECRETSTREAM_TAG_FINAL = 3;

    private static final Object LOCK = new Object();
    private static volatile @Nullable LazySodiumJava shared;

    private final Sodium sodium;

    public Libsodium(LazySodiumJava binding) {
        this.sodium = Objects.requireNonNull(binding, "binding").getSodium();
    }

    /**
     * The process-wide binding ({@code new LazySodiumJava(new SodiumJava())}), created once on first use.
     * A missing native library is {@code INTERNAL_CRYPTO}; the next call tries again.
     */
    public static LazySodiumJava sharedBinding() {
        LazySodiumJava s = shared;
        if (s != null) return s;
        synchronized (LOCK) {
            if (shared == null) {
                try {
                    LazySodiumJava binding = new LazySodiumJava(new SodiumJava());
                    if (binding.getSodium().sodium_init() < 0) {
                        throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "libsodium failed to initialise", null);
                    }
                    shared = binding;
                } catch (LibraryLoadingException | UnsatisfiedLinkError e) {
                    throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "libsodium could not be loaded", e);
                }
            }
            return Objects.requireNonNull(shared);
        }
    }

    /** {@code randombytes_buf}: {@code n} bytes from the operating system's CSPRNG. */
    public byte[] randomBytes(int n) {
        if (n < 0) throw bug("negative random length");
        byte[] out = new byte[n];
        sodium.randombytes_buf(out, n);
        return out;
    }

    /** {@code crypto_aead_xchacha20poly1305_ietf_encrypt}: returns ciphertext || 16-byte tag. */
    public byte[] aeadEncrypt(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) {
        requireLength(key, KEY_BYTES, "key");
        requireLength(nonce, NONCE_BYTES, "nonce");
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        long[] outLen = new long[1];
        int rc = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out, outLen, plaintext, plaintext.length,
                ad, ad.length, null, nonce, key);
        if (rc != 0 || outLen[0] != out.length) throw bug("XChaCha20-Poly1305 encryption failed");
        return out;
    }

    /**
     * {@code crypto_aead_xchacha20poly1305_ietf_decrypt} into {@code out} (exactly
     * {@code ciphertext.length - 16} bytes). False when the tag does not verify, or when the nonce or
     * ciphertext is too short to be genuine; {@code out} is then zeroed.
     */
    public boolean aeadDecrypt(byte[] out, byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext) {
        requireLength(key, KEY_BYTES, "key");
        if (nonce.length != NONCE_BYTES || ciphertext.length < TAG_BYTES) return false;
        requireLength(out, ciphertext.length - TAG_BYTES, "output");
        long[] outLen = new long[1];
        int rc = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, outLen, null, ciphertext, ciphertext.length,
                ad, ad.length, nonce, key);
        if (rc != 0 || outLen[0] != out.length) {
            Arrays.fill(out, (byte) 0);
            return false;
        }
        return true;
    }

    /**
     * {@code crypto_secretbox_open_easy} (XSalsa20-Poly1305; {@code ciphertext} is the 16-byte tag
     * then the body) into {@code out} ({@code ciphertext.length - 16} bytes). False when it does
     * not authenticate or the nonce is not 24 bytes; {@code out} is then zeroed.
     */
    public boolean secretboxOpen(byte[] out, byte[] key, byte[] nonce, byte[] ciphertext) {
        requireLength(key, KEY_BYTES, "key");
        if (nonce.length != 24 || ciphertext.length < TAG_BYTES) return false;
        requireLength(out, ciphertext.length - TAG_BYTES, "output");
        if (sodium.crypto_secretbox_open_easy(out, ciphertext, ciphertext.length, nonce, key) != 0) {
            Arrays.fill(out, (byte) 0);
            return false;
        }
        return true;
    }

    /** {@code crypto_secretbox_easy}: the 16-byte tag then the body (tests write legacy vaults with it). */
    public byte[] secretbox(byte[] key, byte[] nonce, byte[] plaintext) {
        requireLength(key, KEY_BYTES, "key");
        requireLength(nonce, 24, "nonce");
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        if (sodium.crypto_secretbox_easy(out, plaintext, plaintext.length, nonce, key) != 0) throw bug("secretbox failed");
        return out;
    }

    /** {@code crypto_pwhash} with {@code crypto_pwhash_ALG_ARGON2ID13}, filling {@code out}. */
    public void argon2id(byte[] out, byte[] password, byte[] salt, long opsLimit, long memLimitBytes) {
        requireLength(salt, SALT_BYTES, "salt");
        if (out.length < 16) throw bug("Argon2id output too short");
        int rc = sodium.crypto_pwhash(out, out.length, password, password.length, salt, opsLimit,
                new NativeLong(memLimitBytes), PwHash.Alg.PWHASH_ALG_ARGON2ID13.getValue());
        if (rc != 0) {
            Arrays.fill(out, (byte) 0);
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO,
                    "Argon2id failed (not enough memory for the slot's memlimit?)", null);
        }
    }

    /** {@code crypto_secretstream_xchacha20poly1305_init_push}: fills {@code header} (24 bytes) and starts {@code state}. */
    public void secretStreamInitPush(com.goterl.lazysodium.interfaces.SecretStream.State state, byte[] header, byte[] key) {
        requireLength(key, KEY_BYTES, "key");
        requireLength(header, SECRETSTREAM_HEADER_BYTES, "header");
        if (sodium.crypto_secretstream_xchacha20poly1305_init_push(state, header, key) != 0) throw bug("secretstream init failed");
    }

    /** {@code crypto_secretstream_xchacha20poly1305_push}: message || 17 bytes, with {@code ad} and {@code tag}. */
    public byte[] secretStreamPush(com.goterl.lazysodium.interfaces.SecretStream.State state, byte[] message, int length, byte[] ad,
                                   byte tag) {
        byte[] out = new byte[length + SECRETSTREAM_ABYTES];
        if (sodium.crypto_secretstream_xchacha20poly1305_push(state, out, null, message, length, ad, ad.length, tag) != 0) {
            throw bug("secretstream push failed");
        }
        return out;
    }

    /** {@code crypto_secretstream_xchacha20poly1305_init_pull}; false for a header that cannot be one. */
    public boolean secretStreamInitPull(com.goterl.lazysodium.interfaces.SecretStream.State state, byte[] header, byte[] key) {
        requireLength(key, KEY_BYTES, "key");
        requireLength(header, SECRETSTREAM_HEADER_BYTES, "header");
        return sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key) == 0;
    }

    /**
     * {@code crypto_secretstream_xchacha20poly1305_pull} into {@code out} (the ciphertext's length
     * minus 17); returns the tag, or -1 if the chunk fails authentication.
     */
    public int secretStreamPull(com.goterl.lazysodium.interfaces.SecretStream.State state, byte[] out, byte[] ciphertext, byte[] ad) {
        if (ciphertext.length < SECRETSTREAM_ABYTES || out.length != ciphertext.length - SECRETSTREAM_ABYTES) throw bug("bad pull lengths");
        byte[] tag = new byte[1];
        if (sodium.crypto_secretstream_xchacha20poly1305_pull(state, out, null, tag, ciphertext, ciphertext.length, ad, ad.length) != 0) {
            return -1;
        }
        return tag[0] & 0xff;
    }

    /** {@code crypto_kdf_derive_from_key}: a {@code length}-byte subkey of a 32-byte master key. */
    public byte[] kdfDeriveFromKey(int length, long subkeyId, byte[] context, byte[] masterKey) {
        requireLength(context, KDF_CONTEXT_BYTES, "kdf context");
        requireLength(masterKey, KEY_BYTES, "kdf master key");
        if (length < 16 || length > 64) throw bug("kdf subkey length out of range");
        byte[] out = new byte[length];
        if (sodium.crypto_kdf_derive_from_key(out, length, subkeyId, context, masterKey) != 0) {
            throw bug("crypto_kdf_derive_from_key failed");
        }
        return out;
    }

    /** {@code crypto_auth_hmacsha256}: HMAC-SHA-256 of {@code message} under a 32-byte key. */
    public byte[] hmacSha256(byte[] key, byte[] message) {
        requireLength(key, KEY_BYTES, "HMAC key");
        byte[] out = new byte[HMAC_SHA256_BYTES];
        if (sodium.crypto_auth_hmacsha256(out, message, message.length, key) != 0) throw bug("HMAC-SHA-256 failed");
        return out;
    }

    /** {@code crypto_generichash} (BLAKE2b) with a key: {@code length} bytes. */
    public byte[] keyedGenericHash(int length, byte[] message, byte[] key) {
        if (length < 16 || length > 64) throw bug("generichash length out of range");
        if (key.length < 16 || key.length > 64) throw bug("generichash key length out of range");
        byte[] out = new byte[length];
        if (sodium.crypto_generichash(out, length, message, message.length, key, key.length) != 0) {
            throw bug("crypto_generichash failed");
        }
        return out;
    }

    /** {@code crypto_box_seed_keypair}: an X25519 key pair from a 32-byte seed; returns {public, secret}. */
    public byte[][] boxSeedKeypair(byte[] seed) {
        requireLength(seed, BOX_SEED_BYTES, "box seed");
        byte[] pk = new byte[BOX_PUBLIC_KEY_BYTES];
        byte[] sk = new byte[BOX_SECRET_KEY_BYTES];
        if (sodium.crypto_box_seed_keypair(pk, sk, seed) != 0) throw bug("crypto_box_seed_keypair failed");
        return new byte[][] {pk, sk};
    }

    /** {@code crypto_sign_seed_keypair}: an Ed25519 key pair from a 32-byte seed; returns {public (32), secret (64)}. */
    public byte[][] signSeedKeypair(byte[] seed) {
        requireLength(seed, BOX_SEED_BYTES, "sign seed");
        byte[] pk = new byte[32];
        byte[] sk = new byte[64];
        if (sodium.crypto_sign_seed_keypair(pk, sk, seed) != 0) throw bug("crypto_sign_seed_keypair failed");
        return new byte[][] {pk, sk};
    }

    /** {@code crypto_sign_detached}: the 64-byte Ed25519 signature of {@code message}. */
    public byte[] signDetached(byte[] message, byte[] secretKey) {
        requireLength(secretKey, 64, "sign secret key");
        byte[] signature = new byte[64];
        if (sodium.crypto_sign_detached(signature, null, message, message.length, secretKey) != 0) throw bug("crypto_sign_detached failed");
        return signature;
    }

    /** {@code crypto_sign_verify_detached}: whether {@code signature} is {@code publicKey}'s signature of {@code message}. */
    public boolean verifyDetached(byte[] signature, byte[] message, byte[] publicKey) {
        if (signature.length != 64 || publicKey.length != 32) return false;
        return sodium.crypto_sign_verify_detached(signature, message, message.length, publicKey) == 0;
    }

    /** {@code crypto_scalarmult_base}: the X25519 public key of a secret key. */
    public byte[] scalarMultBase(byte[] secretKey) {
        requireLength(secretKey, BOX_SECRET_KEY_BYTES, "box secret key");
        byte[] pk = new byte[BOX_PUBLIC_KEY_BYTES];
        if (sodium.crypto_scalarmult_base(pk, secretKey) != 0) throw bug("crypto_scalarmult_base failed");
        return pk;
    }

    /** {@code crypto_box_seal}: {@code message} sealed to {@code publicKey} (48 bytes longer). */
    public byte[] boxSeal(byte[] message, byte[] publicKey) {
        requireLength(publicKey, BOX_PUBLIC_KEY_BYTES, "box public key");
        byte[] out = new byte[message.length + BOX_SEAL_BYTES];
        if (sodium.crypto_box_seal(out, message, message.length, publicKey) != 0) throw bug("crypto_box_seal failed");
        return out;
    }

    /** {@code crypto_box_seal_open} into {@code out}; false (and {@code out} zeroed) when it does not open. */
    public boolean boxSealOpen(byte[] out, byte[] sealed, byte[] publicKey, byte[] secretKey) {
        requireLength(publicKey, BOX_PUBLIC_KEY_BYTES, "box public key");
        requireLength(secretKey, BOX_SECRET_KEY_BYTES, "box secret key");
        if (sealed.length != out.length + BOX_SEAL_BYTES) return false;
        if (sodium.crypto_box_seal_open(out, sealed, sealed.length, publicKey, secretKey) != 0) {
            Arrays.fill(out, (byte) 0);
            return false;
        }
        return true;
    }

    /** Zeroes each array (for key material the caller no longer needs). */
    public static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) if (a != null) Arrays.fill(a, (byte) 0);
    }

    private static void requireLength(byte[] bytes, int expected, String what) {
        if (bytes.length != expected) throw bug(what + " has the wrong length");
    }

    private static InternalVaultException bug(String message) {
        return new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, message, null);
    }
}
