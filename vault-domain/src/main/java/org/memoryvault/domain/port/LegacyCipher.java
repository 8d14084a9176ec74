package org.memoryvault.domain.port;

import java.util.Optional;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.SlotSecret;

/**
 * The Python vault's cryptography, to open its memories once, on import (docs/IMPORT.md): NaCl
 * secretbox under a 32-byte key, the key of a passphrase memory derived by Argon2id (4 passes,
 * 1 GiB) from the memory's own salt. The caller wipes every key it is given.
 */
public interface LegacyCipher {
    /** Argon2id(passphrase, salt): 32 bytes; about 1 GiB and seconds per call. */
    byte[] passphraseKey(SlotSecret passphrase, byte[] salt);

    /** Opens tag || body with {@code nonce} and {@code key}; empty when it does not authenticate. */
    Optional<Plaintext> open(byte[] key, byte[] nonce, byte[] ciphertext);
}
