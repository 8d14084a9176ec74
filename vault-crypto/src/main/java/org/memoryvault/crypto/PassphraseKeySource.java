package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/**
 * Passphrase key slots: KEK = Argon2id v1.3 ({@code crypto_pwhash}, ARGON2ID13) of the passphrase's
 * UTF-8 bytes, a fresh 16-byte random salt per wrap, the slot's own opslimit and memlimit, 32 bytes
 * out (docs/FORMAT.md §3, §6). The KEK is wiped before every return.
 *
 * <p>Security: one Argon2id run per attempt is the whole brute-force cost; the parameters are
 * stored with the slot so a stronger preset can be chosen on rewrap without touching memories.
 */
final class PassphraseKeySource implements KeySource {
    private final Libsodium sodium;
    private final SlotCipher cipher;

    @Inject
    PassphraseKeySource(LazySodiumJava binding) {
        this.sodium = new Libsodium(binding);
        this.cipher = new SlotCipher(sodium);
    }

    @Override public SlotType type() { return SlotType.PASSPHRASE; }

    @Override
    public KeySlot wrap(WrapRequest request, DataKey dataKey, SlotSecret secret) {
        requirePassphrase(secret);
        KdfParameters kdf = request.kdf().orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_INVALID,
                "a passphrase slot needs Argon2id parameters"));
        byte[] salt = sodium.randomBytes(Libsodium.SALT_BYTES);
        byte[] kek = deriveKek(secret, salt, kdf);
        try {
            return cipher.wrap(kek, dataKey, SlotType.PASSPHRASE, request, Optional.of(kdf), salt);
        } finally {
            Libsodium.wipe(kek);
        }
    }

    @Override
    public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
        Objects.requireNonNull(profile, "profile");
        requirePassphrase(secret);
        if (slot.type() != SlotType.PASSPHRASE) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not a passphrase slot: " + slot);
        }
        KdfParameters kdf = slot.kdf().orElseThrow(SlotCipher::malformed);
        byte[] salt = slot.salt();
        if (salt.length != Libsodium.SALT_BYTES) throw SlotCipher.malformed();
        byte[] kek = deriveKek(secret, salt, kdf);
        try {
            return cipher.unwrap(kek, slot, profile, keyVersion);
        } finally {
            Libsodium.wipe(kek);
        }
    }

    private byte[] deriveKek(SlotSecret secret, byte[] salt, KdfParameters kdf) {
        byte[] kek = new byte[Libsodium.KEY_BYTES];
        sodium.argon2id(kek, secret.revealForCrypto(), salt, kdf.opsLimit(), kdf.memLimitBytes());
        return kek;
    }

    private static void requirePassphrase(SlotSecret secret) {
        if (secret.type() != SlotType.PASSPHRASE) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a passphrase slot needs a passphrase, not a "
                    + secret.type().wireName());
        }
    }
}
