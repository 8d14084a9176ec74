package org.memoryvault.crypto;

import java.util.Objects;
import java.util.Optional;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.LegacyCipher;

/**
 * The Python vault's cryptography with libsodium (docs/IMPORT.md): secretbox, and Argon2id at
 * the original's one cost, 4 passes and 1 GiB ({@code *_SENSITIVE}), whatever the vault's preset.
 */
public final class SodiumLegacyCipher implements LegacyCipher {
    /** The original's Argon2id cost (PyNaCl's OPSLIMIT_SENSITIVE, MEMLIMIT_SENSITIVE). */
    static final long OPS = 4;
    static final long MEMORY = 1L << 30;

    private final Libsodium sodium;

    SodiumLegacyCipher(Libsodium sodium) { this.sodium = Objects.requireNonNull(sodium, "sodium"); }

    /** The libsodium legacy cipher (an import reads a legacy vault without any vault key). */
    public static LegacyCipher libsodium() { return new SodiumLegacyCipher(new Libsodium(Libsodium.sharedBinding())); }

    @Override
    public byte[] passphraseKey(SlotSecret passphrase, byte[] salt) {
        byte[] key = new byte[32];
        sodium.argon2id(key, passphrase.revealForCrypto(), salt, OPS, MEMORY);
        return key;
    }

    @Override
    public Optional<Plaintext> open(byte[] key, byte[] nonce, byte[] ciphertext) {
        if (ciphertext.length < 16) return Optional.empty();
        byte[] out = new byte[ciphertext.length - 16];
        return sodium.secretboxOpen(out, key, nonce, ciphertext) ? Optional.of(Plaintext.adopt(out)) : Optional.empty();
    }
}
