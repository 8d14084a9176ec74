package org.memoryvault.crypto;

import jakarta.inject.Inject;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;

/**
 * Key-file slots: KEK = the key file's 32 bytes as they are (they are already uniformly random;
 * docs/FORMAT.md §7), no salt, no KDF. Anything but 32 bytes is {@code INPUT_KEY_FILE}.
 *
 * <p>Security: the file is the whole secret; whoever can read it can open the slot. See
 * {@link KeyFiles} for how it is created (0600) and refused when readable by others.
 */
final class KeyFileSlotBackend implements SlotBackend {
    @Inject KeyFileSlotBackend() {}

    @Override public SlotType type() { return SlotType.KEY_FILE; }

    @Override public SecretInput input() { return SecretInput.KEY_FILE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        return new Enrolment(kek(secret), new byte[0], Optional.empty());
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) { return kek(secret); }

    /** A copy of the key file's bytes, so the KEK can be wiped without touching the caller's secret. */
    private static KeyEncryptionKey kek(SlotSecret secret) {
        byte[] bytes = secret.revealForCrypto();
        if (bytes.length != KeyFiles.KEY_FILE_BYTES) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "key file must be exactly 32 bytes");
        }
        return KeyEncryptionKey.adopt(bytes.clone());
    }
}
