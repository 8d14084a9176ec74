package org.memoryvault.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.memoryvault.domain.port.Signer;

/**
 * A real Ed25519 {@link Signer} on the JDK, seeds kept in memory: for tests of vault-audit, which
 * must not depend on the libsodium adapter. Same key from the same seed as any RFC 8032 signer.
 */
final class JdkEd25519Signer implements Signer {
    private final Map<Integer, byte[]> seeds = new HashMap<>();
    private final SecureRandom random;

    JdkEd25519Signer(SecureRandom random) { this.random = random; }

    /** Installs a known seed for an epoch (e.g. a published test key, or a stolen one in a tamper test). */
    void useSeed(int epoch, byte[] seed) { seeds.put(epoch, seed.clone()); }

    byte[] seed(int epoch) { return seeds.get(epoch).clone(); }

    @Override
    public byte[] ensureKey(int epoch) {
        byte[] seed = seeds.computeIfAbsent(epoch, e -> {
            byte[] s = new byte[32];
            random.nextBytes(s);
            return s;
        });
        return publicKeyOf(seed);
    }

    @Override
    public byte[] sign(int epoch, byte[] message) {
        byte[] seed = seeds.get(epoch);
        if (seed == null) throw new IllegalStateException("no key for epoch " + epoch);
        return sign(seed, message);
    }

    @Override
    public void destroy(int epoch) {
        byte[] seed = seeds.remove(epoch);
        if (seed != null) Arrays.fill(seed, (byte) 0);
    }

    static byte[] publicKeyOf(byte[] seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            byte[] encoded = g.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(byte[] seed, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)));
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands the key pair generator the seed as its "random" private key bytes. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) { this.seed = seed.clone(); }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) throw new IllegalStateException("unexpected request for " + bytes.length + " bytes");
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
