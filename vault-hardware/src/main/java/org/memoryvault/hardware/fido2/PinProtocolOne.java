package org.memoryvault.hardware.fido2;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * PIN/UV auth protocol one (CTAP 2.1 §6.5.6): an ephemeral ECDH P-256 agreement with the
 * authenticator's key-agreement key, whose shared secret (SHA-256 of the x-coordinate) encrypts
 * with AES-256-CBC under a zero IV and authenticates with the first 16 bytes of HMAC-SHA-256. The
 * hmac-secret extension (§12.5) uses it to keep its salts and outputs off the USB wire in the clear.
 * The shared secret is wiped on {@link #close} (the JDK's {@code SecretKeySpec} copies made from it
 * cannot be wiped; docs/HARDWARE.md §8 says so).
 */
final class PinProtocolOne implements AutoCloseable {
    private final byte[] shared;
    private final Map<Object, Object> platformKey;

    private PinProtocolOne(byte[] shared, Map<Object, Object> platformKey) {
        this.shared = shared;
        this.platformKey = platformKey;
    }

    /** Agrees on a shared secret with the authenticator's key-agreement key (a COSE_Key from getKeyAgreement). */
    static PinProtocolOne agree(Map<?, ?> authenticatorKey, SecureRandom random) {
        try {
            ECParameterSpec p256 = p256();
            PublicKey theirs = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point(authenticatorKey), p256));
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair mine = g.generateKeyPair();
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(mine.getPrivate());
            ka.doPhase(theirs, true);
            byte[] z = ka.generateSecret();
            byte[] shared = MessageDigest.getInstance("SHA-256").digest(z);
            Arrays.fill(z, (byte) 0);
            return new PinProtocolOne(shared, cose((ECPublicKey) mine.getPublic()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's key-agreement key is not a P-256 point ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Our ephemeral public key as the COSE_Key the authenticator expects (ECDH-ES+HKDF-256, -25, per §6.5.6). */
    Map<Object, Object> platformKey() { return platformKey; }

    byte[] encrypt(byte[] plain) { return aes(Cipher.ENCRYPT_MODE, plain); }

    byte[] decrypt(byte[] cipher) {
        if (cipher.length == 0 || cipher.length % 16 != 0) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator sent " + cipher.length + " encrypted bytes, not whole AES blocks");
        }
        return aes(Cipher.DECRYPT_MODE, cipher);
    }

    /** The first 16 bytes of HMAC-SHA-256(shared secret, message). */
    byte[] authenticate(byte[] message) { return hmac16(shared, message); }

    /** The first 16 bytes of HMAC-SHA-256(key, message): protocol one's authenticate (also with a pinUvAuthToken as the key). */
    static byte[] hmac16(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(message), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    /** A PIN as UTF-8 bytes, without a String copy (the caller wipes both). */
    static byte[] utf8(char[] pin) {
        java.nio.ByteBuffer b = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pin));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    private byte[] aes(int mode, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(shared, "AES"), new IvParameterSpec(new byte[16]));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is part of every JDK", e);
        }
    }

    @Override public void close() { Arrays.fill(shared, (byte) 0); }

    static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    private static ECPoint point(Map<?, ?> cose) {
        if (!Long.valueOf(2).equals(cose.get(1L)) || !Long.valueOf(1).equals(cose.get(-1L))
                || !(cose.get(-2L) instanceof byte[] x) || !(cose.get(-3L) instanceof byte[] y) || x.length != 32 || y.length != 32) {
            throw new IllegalArgumentException("not an EC2 P-256 COSE key");
        }
        return new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    }

    private static Map<Object, Object> cose(ECPublicKey key) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1L, 2L);
        m.put(3L, -25L);
        m.put(-1L, 1L);
        m.put(-2L, coordinate(key.getW().getAffineX()));
        m.put(-3L, coordinate(key.getW().getAffineY()));
        return m;
    }

    /** A coordinate as exactly 32 big-endian bytes. */
    private static byte[] coordinate(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }
}
