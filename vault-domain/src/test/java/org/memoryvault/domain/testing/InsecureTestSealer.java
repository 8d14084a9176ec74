package org.memoryvault.domain.testing;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.port.Sealer;

/**
 * A {@link Sealer} built from the JDK alone, for domain tests. TEST ONLY: never wire it into the
 * application. It keeps the port's observable contract so tamper tests behave as with the real
 * sealer: a stream cipher (SHA-256 in counter mode over key, nonce and block number) followed by
 * an HMAC-SHA-256 tag, truncated to 16 bytes, over the associated data, nonce and ciphertext.
 * Any change to the AD, nonce, ciphertext or key makes {@link #open} throw
 * {@code IntegrityException(INTEGRITY_TAMPERED)}.
 *
 * <p>Security: not reviewed, not constant-time beyond the tag check, not XChaCha20-Poly1305 and
 * not the format of docs/FORMAT.md. Its only job is to make fakes honest.
 */
public final class InsecureTestSealer implements Sealer {
    private static final byte ENC = 1;
    private static final byte MAC = 2;
    private static final byte COMMIT = 3;

    private final RandomGenerator random;
    private int openCalls;

    public InsecureTestSealer(RandomGenerator random) { this.random = Objects.requireNonNull(random, "random"); }

    public InsecureTestSealer() { this(new SecureRandom()); }

    @Override
    public DataKey newDataKey(ProfileId profile, int keyVersion) {
        byte[] k = new byte[InsecureTestDataKey.KEY_BYTES];
        random.nextBytes(k);
        return InsecureTestDataKey.adopt(profile, keyVersion, k);
    }

    @Override
    public SealedContent seal(DataKey key, AssociatedData ad, Plaintext plaintext) {
        byte[] k = InsecureTestDataKey.of(key).revealForCrypto();
        byte[] nonce = new byte[SealedContent.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] pt = plaintext.revealForCrypto();
        byte[] out = new byte[pt.length + SealedContent.TAG_BYTES];
        xorKeystream(k, nonce, pt, out, pt.length);
        byte[] tag = tag(k, ad.encode(), nonce, out, pt.length);
        System.arraycopy(tag, 0, out, pt.length, SealedContent.TAG_BYTES);
        return new SealedContent(nonce, out);
    }

    @Override
    public Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed) {
        synchronized (this) {
            openCalls++;
        }
        byte[] k = InsecureTestDataKey.of(key).revealForCrypto();
        byte[] nonce = sealed.nonce();
        byte[] ct = sealed.ciphertext();
        int n = ct.length - SealedContent.TAG_BYTES;
        if (nonce.length != SealedContent.NONCE_BYTES || n < 0) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "sealed content is malformed", null);
        }
        byte[] expected = tag(k, ad.encode(), nonce, ct, n);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(ct, n, ct.length))) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "authentication failed: tampered data or wrong key", null);
        }
        byte[] pt = new byte[n];
        xorKeystream(k, nonce, ct, pt, n);
        return Plaintext.adopt(pt);
    }

    @Override
    public ContentCommitment commit(DataKey key, MemoryId id, Plaintext plaintext) {
        byte[] ck = derive(COMMIT, InsecureTestDataKey.of(key).revealForCrypto());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ck, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(16).putLong(id.value().getMostSignificantBits())
                    .putLong(id.value().getLeastSignificantBits()).array());
            mac.update(plaintext.revealForCrypto());
            return new ContentCommitment(HexFormat.of().formatHex(mac.doFinal()));
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "HMAC-SHA-256 unavailable", e);
        } finally {
            Arrays.fill(ck, (byte) 0);
        }
    }

    /** How many times {@link #open} was called (a refused recall must not reach decryption). */
    public synchronized int openCalls() { return openCalls; }

    private static void xorKeystream(byte[] key, byte[] nonce, byte[] in, byte[] out, int length) {
        byte[] ek = derive(ENC, key);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int block = 0; block * 32 < length; block++) {
                sha.update(ek);
                sha.update(nonce);
                sha.update(ByteBuffer.allocate(8).putLong(block).array());
                byte[] ks = sha.digest();
                for (int i = 0; i < 32 && block * 32 + i < length; i++) {
                    out[block * 32 + i] = (byte) (in[block * 32 + i] ^ ks[i]);
                }
                Arrays.fill(ks, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "SHA-256 unavailable", e);
        } finally {
            Arrays.fill(ek, (byte) 0);
        }
    }

    private static byte[] tag(byte[] key, byte[] ad, byte[] nonce, byte[] ct, int ctLength) {
        byte[] mk = derive(MAC, key);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(mk, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(4).putInt(ad.length).array());
            mac.update(ad);
            mac.update(nonce);
            mac.update(ct, 0, ctLength);
            return Arrays.copyOf(mac.doFinal(), SealedContent.TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "HMAC-SHA-256 unavailable", e);
        } finally {
            Arrays.fill(mk, (byte) 0);
        }
    }

    private static byte[] derive(byte purpose, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(purpose);
            return sha.digest(key);
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "SHA-256 unavailable", e);
        }
    }
}
