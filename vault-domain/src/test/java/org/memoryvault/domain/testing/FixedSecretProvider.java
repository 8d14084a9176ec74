package org.memoryvault.domain.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SecretProvider;

/**
 * A {@link SecretProvider} that offers one secret per slot type, for every profile and slot of that
 * type. Each call returns a fresh {@link SlotSecret} (the caller closes it). Change what it offers
 * with {@link #usePassphrase}, {@link #useKeyFile} and {@link #forget}.
 */
public final class FixedSecretProvider implements SecretProvider {
    private final Map<SlotType, byte[]> secrets = new java.util.HashMap<>();
    private int requests;

    public static FixedSecretProvider none() { return new FixedSecretProvider(); }

    public static FixedSecretProvider passphrase(String passphrase) { return new FixedSecretProvider().usePassphrase(passphrase); }

    public static FixedSecretProvider keyFile(byte[] keyFile) { return new FixedSecretProvider().useKeyFile(keyFile); }

    public synchronized FixedSecretProvider usePassphrase(String passphrase) {
        secrets.put(SlotType.PASSPHRASE, passphrase.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public synchronized FixedSecretProvider useKeyFile(byte[] keyFile) {
        secrets.put(SlotType.KEY_FILE, keyFile.clone());
        return this;
    }

    public synchronized FixedSecretProvider forget(SlotType type) {
        secrets.remove(type);
        return this;
    }

    @Override
    public synchronized Optional<SlotSecret> secretFor(Profile profile, KeySlot slot,
                                                    org.memoryvault.domain.port.SlotBackend.SecretInput input) {
        requests++;
        byte[] s = secrets.get(slot.type());
        if (s == null) return Optional.empty();
        return Optional.of(slot.type() == SlotType.PASSPHRASE
                ? SlotSecret.passphrase(new String(s, StandardCharsets.UTF_8).toCharArray())
                : SlotSecret.keyFile(s.clone()));
    }

    /** How often a secret was asked for (a cached unlock asks none). */
    public synchronized int requests() { return requests; }

    /** A passphrase secret for creating slots; the caller closes it. */
    public static SlotSecret passphraseSecret(String passphrase) { return SlotSecret.passphrase(passphrase.toCharArray()); }

    /** A key-file secret for creating slots (copies the bytes); the caller closes it. */
    public static SlotSecret keyFileSecret(byte[] keyFile) { return SlotSecret.keyFile(keyFile.clone()); }
}
