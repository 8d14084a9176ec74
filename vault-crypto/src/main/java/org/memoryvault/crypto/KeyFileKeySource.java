package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/**
 * Key-file key slots: KEK = the key file's 32 bytes as they are (they are already uniformly
 * random; docs/FORMAT.md §7), no salt, no KDF. Anything but 32 bytes is {@code INPUT_KEY_FILE}.
 *
 * <p>Security: the file is the whole secret; whoever can read it can open the slot. See
 * {@link KeyFiles} for how it is created (0600) and refused when readable by others.
 */
final class KeyFileKeySource implements KeySource {
    private final SlotCipher cipher;

    @Inject
    KeyFileKeySource(LazySodiumJava binding) {
        this.cipher = new SlotCipher(new Libsodium(binding));
    }

    @Override public SlotType type() { return SlotType.KEY_FILE; }

    @Override
    public KeySlot wrap(WrapRequest request, DataKey dataKey, SlotSecret secret) {
        byte[] kek = kek(secret);
        try {
            return cipher.wrap(kek, dataKey, SlotType.KEY_FILE, request, Optional.empty(), new byte[0]);
        } finally {
            Libsodium.wipe(kek);
        }
    }

    @Override
    public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
        Objects.requireNonNull(profile, "profile");
        if (slot.type() != SlotType.KEY_FILE) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not a key-file slot: " + slot);
        }
        byte[] kek = kek(secret);
        try {
            return cipher.unwrap(kek, slot, profile, keyVersion);
        } finally {
            Libsodium.wipe(kek);
        }
    }

    /** A copy of the key file's bytes, so the KEK can be wiped here without touching the caller's secret. */
    private static byte[] kek(SlotSecret secret) {
        if (secret.type() != SlotType.KEY_FILE) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a key-file slot needs a key file, not a "
                    + secret.type().wireName());
        }
        byte[] bytes = secret.revealForCrypto();
        if (bytes.length != KeyFiles.KEY_FILE_BYTES) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file must be exactly 32 bytes");
        }
        return bytes.clone();
    }
}
