package org.memoryvault.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A C2SP signed-note Ed25519 verifier key: a key name, its 4-byte key id
 * (SHA-256(name || 0x0A || 0x01 || public key)[:4]) and the 32-byte public key. Its text form,
 * {@link #toString()}, is {@code <name>+<8 hex key id>+<base64(0x01 || public key)>}.
 * Signatures are checked with the JDK's Ed25519, so no native library is needed.
 *
 * <p>Security: a verifier key is public. Trust comes from how you obtained it (pin it out of
 * band), not from parsing it.
 */
public final class VerifierKey {
    public static final byte ALGORITHM_ED25519 = 0x01;
    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final int keyId;
    private final byte[] publicKey;

    private VerifierKey(String name, byte[] publicKey) {
        if (!validName(name)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "invalid signed-note key name");
        if (publicKey.length != 32) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an Ed25519 public key is 32 bytes");
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = keyId(name, publicKey);
    }

    public static VerifierKey of(String name, byte[] publicKey) {
        return new VerifierKey(Objects.requireNonNull(name, "name"), Objects.requireNonNull(publicKey, "publicKey"));
    }

    /** Parses {@code name+hexid+base64key}; the key id must match the name and key. */
    public static VerifierKey parse(String text) {
        // The name has no '+'; the base64 key may.
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a verifier key is <name>+<8 hex digits>+<base64 key>");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "verifier key is not valid base64");
        }
        if (raw.length != 33 || raw[0] != ALGORITHM_ED25519) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "verifier key is not an Ed25519 key (type 0x01, 32 bytes)");
        }
        VerifierKey key = new VerifierKey(parts[0], Arrays.copyOfRange(raw, 1, 33));
        if (!key.keyIdHex().equals(parts[1])) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "verifier key id does not match its name and key");
        }
        return key;
    }

    /** Non-empty, no Unicode space or control character, no '+' (C2SP signed-note). */
    public static boolean validName(String name) {
        if (name.isEmpty()) return false;
        return name.codePoints().noneMatch(c -> c == '+' || c < 0x20 || c == 0x7f
                || Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** The C2SP key id of an Ed25519 key under {@code name}, as a big-endian uint32. */
    public static int keyId(String name, byte[] publicKey) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[n.length + 2 + publicKey.length];
        System.arraycopy(n, 0, input, 0, n.length);
        input[n.length] = 0x0A;
        input[n.length + 1] = ALGORITHM_ED25519;
        System.arraycopy(publicKey, 0, input, n.length + 2, publicKey.length);
        byte[] h = new TreeHasher().sha256(input);
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
    }

    public String name() { return name; }

    public int keyId() { return keyId; }

    public String keyIdHex() { return String.format("%08x", keyId); }

    public byte[] publicKey() { return publicKey.clone(); }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != 64) return false;
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(jdkKey());
            v.update(message);
            return v.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "Ed25519 is not available in this JDK", e);
        }
    }

    private PublicKey jdkKey() throws InvalidKeyException {
        byte[] der = new byte[X509_ED25519_PREFIX.length + 32];
        System.arraycopy(X509_ED25519_PREFIX, 0, der, 0, X509_ED25519_PREFIX.length);
        System.arraycopy(publicKey, 0, der, X509_ED25519_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException("not an Ed25519 public key", e);
        } catch (NoSuchAlgorithmException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "Ed25519 is not available in this JDK", e);
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof VerifierKey k && k.name.equals(name) && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(publicKey); }

    /** The verifier key string. */
    @Override
    public String toString() {
        byte[] raw = new byte[33];
        raw[0] = ALGORITHM_ED25519;
        System.arraycopy(publicKey, 0, raw, 1, 32);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(raw);
    }
}
