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
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.error.AccessRefusedException;
import java.util.Optional;
import org.memoryvault.domain.port.Sealer;

/**
 * A {@link Sealer} built from the JDK alone, for domain tests. TEST ONLY: never wire it into the
 * application. It keeps the port's observable contract so tamper and tier tests behave as with
 * the real sealer (a key opens only the levels it reaches; releases and credentials open what the
 * real ones open), but it seals every level under the profile key itself. Sealing: a stream cipher (SHA-256 in counter mode over key, nonce and block number) followed by
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
    public DataKey withNewOwnerKey(DataKey tierKey) { return InsecureTestDataKey.of(tierKey).withReach(5); }

    /** Re-keying splits the owner key from the tier key, which this double's one key does not: tested with the real sealer. */
    @Override
    public DataKey withNewTierKey(DataKey ownerKey, int keyVersion) {
        throw new UnsupportedOperationException("re-keying is not part of the insecure test double");
    }

    @Override
    public byte[] sealPendingKey(DataKey ownerKey, DataKey next) {
        throw new UnsupportedOperationException("re-keying is not part of the insecure test double");
    }

    @Override
    public DataKey openPendingKey(DataKey ownerKey, int keyVersion, byte[] sealed) {
        throw new UnsupportedOperationException("re-keying is not part of the insecure test double");
    }

    /** Level 5 bound to a device is tested with the real sealer (vault-crypto, vault-app), not with this double. */
    @Override
    public DataKey withNewDeviceSecret(DataKey ownerKey) {
        throw new UnsupportedOperationException("level 5 binding is not part of the insecure test double");
    }

    @Override
    public TierLocks bindLevel5(DataKey boundKey, TierLocks current) {
        throw new UnsupportedOperationException("level 5 binding is not part of the insecure test double");
    }

    @Override
    public TierLocks locks(DataKey ownerKey, boolean escrowOwner) {
        requireOwner(ownerKey);
        return new TierLocks(publicKeysOf(ownerKey), escrowOwner ? Optional.of(new byte[72]) : Optional.empty());
    }

    @Override
    public DataKey openEscrow(DataKey key, TierLocks locks) {
        if (locks.ownerEscrow().isEmpty()) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "no escrow", null);
        return InsecureTestDataKey.of(key).withReach(5);
    }

    @Override
    public Sealed seal(DataKey key, TierLocks locks, AssociatedData ad, Plaintext plaintext) {
        int level = ad.classification().level();
        if (level <= 2 && key.reach() < level) throw beyondReach(level);
        byte[] k = InsecureTestDataKey.of(key).revealForCrypto();
        byte[] nonce = new byte[SealedContent.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] pt = plaintext.revealForCrypto();
        byte[] out = new byte[pt.length + SealedContent.TAG_BYTES];
        xorKeystream(k, nonce, pt, out, pt.length);
        byte[] tag = tag(k, ad.encode(), nonce, out, pt.length);
        System.arraycopy(tag, 0, out, pt.length, SealedContent.TAG_BYTES);
        // the fake seals every level under the profile key; the wrapped key is only a format-2 marker
        return new Sealed(new SealedContent(nonce, out, new byte[] {(byte) level}), commit(k, ad.id(), plaintext));
    }

    @Override
    public Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        if (key.reach() < ad.classification().level()) throw beyondReach(ad.classification().level());
        return openWith(InsecureTestDataKey.of(key).revealForCrypto(), ad, sealed, commitment);
    }

    @Override
    public byte[] commitKey(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        open(key, ad, sealed, commitment).close();
        return derive(COMMIT, InsecureTestDataKey.of(key).revealForCrypto());
    }

    @Override
    public byte[] release(DataKey ownerKey, AssociatedData ad, SealedContent sealed, ContentCommitment commitment,
                          PrincipalRecord recipient) {
        requireOwner(ownerKey);
        requireAuthentic(ownerKey, recipient);
        openWith(InsecureTestDataKey.of(ownerKey).revealForCrypto(), ad, sealed, commitment).close();
        return xor(InsecureTestDataKey.of(ownerKey).revealForCrypto(), recipient.boxPublicKey());
    }

    @Override
    public void requireAuthentic(DataKey ownerKey, TierLocks locks) {
        if (!locks.isNone() && !Arrays.equals(locks.publicKeys(), publicKeysOf(ownerKey))) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "tier locks replaced", null);
        }
    }

    /** Stand-in for the level 3-5 public keys: 96 bytes derived from the owner key, so another key's locks differ. */
    private static byte[] publicKeysOf(DataKey ownerKey) {
        byte[] k = InsecureTestDataKey.of(ownerKey).revealForCrypto();
        byte[] out = new byte[96];
        try {
            for (int i = 0; i < 3; i++) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(k);
                sha.update((byte) (3 + i));
                System.arraycopy(sha.digest(), 0, out, 32 * i, 32);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "SHA-256 unavailable", e);
        }
        return out;
    }

    @Override
    public void requireAuthentic(DataKey ownerKey, PrincipalRecord p) {
        byte[] expected = mac(ownerKey, p.name(), p.clearance(), p.credentialId(), p.boxPublicKey());
        if (!MessageDigest.isEqual(expected, p.ownerMac())) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "principal row edited", null);
        }
    }

    /** Stand-in for the owner's Ed25519 seal key: the "public" key is a MAC key derived from the owner key (TEST ONLY). */
    @Override
    public byte[] ownerSealKey(DataKey ownerKey) {
        requireOwner(ownerKey);
        return derive((byte) 11, InsecureTestDataKey.of(ownerKey).revealForCrypto());
    }

    @Override
    public byte[] signAsOwner(DataKey ownerKey, byte[] message) {
        return Arrays.copyOf(hmac(ownerSealKey(ownerKey), message), 64);
    }

    /** Insecure: the secret XORed with a keystream of the owner key, then a MAC over ad and ciphertext. */
    @Override
    public byte[] sealOwnerSecret(DataKey ownerKey, byte[] ad, byte[] secret) {
        requireOwner(ownerKey);
        byte[] k = derive((byte) 12, InsecureTestDataKey.of(ownerKey).revealForCrypto());
        byte[] body = secret.clone();
        for (int i = 0; i < body.length; i++) body[i] ^= k[i % k.length];
        byte[] mac = hmac(k, concat(ad, body));
        return concat(mac, body);
    }

    @Override
    public byte[] openOwnerSecret(DataKey ownerKey, byte[] ad, byte[] sealed) {
        requireOwner(ownerKey);
        byte[] k = derive((byte) 12, InsecureTestDataKey.of(ownerKey).revealForCrypto());
        int macLength = hmac(k, new byte[0]).length;
        if (sealed.length < macLength) throw new org.memoryvault.domain.error.IntegrityException(
                org.memoryvault.domain.error.ErrorCode.INTEGRITY_TAMPERED, "sealed owner secret too short", null);
        byte[] body = Arrays.copyOfRange(sealed, macLength, sealed.length);
        if (!MessageDigest.isEqual(hmac(k, concat(ad, body)), Arrays.copyOf(sealed, macLength))) {
            throw new org.memoryvault.domain.error.IntegrityException(org.memoryvault.domain.error.ErrorCode.INTEGRITY_TAMPERED,
                    "sealed owner secret does not open with this key and associated data", null);
        }
        for (int i = 0; i < body.length; i++) body[i] ^= k[i % k.length];
        return body;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean verifySignature(byte[] publicKey, byte[] message, byte[] signature) {
        return MessageDigest.isEqual(Arrays.copyOf(hmac(publicKey, message), 64), signature);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(DataKey owner, String name, Classification clearance, String credentialId, byte[] box) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derive((byte) 10, InsecureTestDataKey.of(owner).revealForCrypto()), "HmacSHA256"));
            mac.update((name + "|" + clearance.level() + "|" + credentialId + "|").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return mac.doFinal(box);
        } catch (GeneralSecurityException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "HMAC-SHA-256 unavailable", e);
        }
    }

    @Override
    public Plaintext openReleased(DataKey agentKey, byte[] release, AssociatedData ad, SealedContent sealed,
                                  ContentCommitment commitment) {
        byte[] k = xor(release, InsecureTestDataKey.of(agentKey).boxPublicKey());
        try {
            return openWith(k, ad, sealed, commitment);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public Enrollment enroll(DataKey key, String name, Classification clearance, SlotSecret credential) {
        byte[] pad = derive((byte) 7, credential.revealForCrypto());
        byte[] box = derive((byte) 8, credential.revealForCrypto());
        byte[] wrapped = new byte[72];
        System.arraycopy(xor(InsecureTestDataKey.of(key).revealForCrypto(), pad), 0, wrapped, 0, 32);
        requireOwner(key);
        String id = credentialId(credential);
        return new Enrollment(id, box, wrapped, mac(key, name, clearance, id, box));
    }

    @Override
    public DataKey authenticate(PrincipalRecord principal, SlotSecret credential) {
        if (!principal.credentialId().equals(credentialId(credential))) {
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the principal credential does not open");
        }
        byte[] k = xor(Arrays.copyOf(principal.wrappedKey(), 32), derive((byte) 7, credential.revealForCrypto()));
        return InsecureTestDataKey.adopt(principal.profile(), principal.keyVersion(), k,
                Math.min(principal.clearance().level(), 2), derive((byte) 8, credential.revealForCrypto()));
    }

    @Override
    public String credentialId(SlotSecret credential) {
        return HexFormat.of().formatHex(derive((byte) 9, credential.revealForCrypto()));
    }

    private Plaintext openWith(byte[] k, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        synchronized (this) {
            openCalls++;
        }
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
        Plaintext p = Plaintext.adopt(pt);
        if (!commit(k, ad.id(), p).matches(commitment)) {
            p.close();
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "content does not match its commitment", null);
        }
        return p;
    }

    private static ContentCommitment commit(byte[] key, MemoryId id, Plaintext plaintext) {
        byte[] ck = derive(COMMIT, key);
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

    private static void requireOwner(DataKey key) {
        if (!key.isOwner()) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "not the owner's key", null);
    }

    private static AccessRefusedException beyondReach(int level) {
        return new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "a level-" + level + " memory does not open with this key");
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) out[i] = (byte) (a[i] ^ b[i]);
        return out;
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
