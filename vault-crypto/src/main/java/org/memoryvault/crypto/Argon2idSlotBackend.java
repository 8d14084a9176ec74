package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import jakarta.inject.Inject;
import java.util.Optional;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;

/**
 * Passphrase slots: KEK = Argon2id v1.3 ({@code crypto_pwhash}, ARGON2ID13) of the passphrase's
 * UTF-8 bytes, a fresh 16-byte random salt per enrolment (the slot's parameters), the slot's own
 * opslimit and memlimit, 32 bytes out (docs/FORMAT.md §3, §6).
 *
 * <p>The same backend serves recovery-code slots ({@link SlotType#RECOVERY_CODE}): a generated code
 * instead of a chosen passphrase, under its own type name (so its slot AD differs).
 *
 * <p>Security: one Argon2id run per attempt is the whole brute-force cost; the parameters are
 * stored with the slot so a stronger preset can be chosen on rewrap without touching memories. A
 * wrong passphrase gives a wrong KEK, which the key-slot cipher refuses.
 */
final class Argon2idSlotBackend implements SlotBackend {
    private final Libsodium sodium;
    private final SlotType type;

    @Inject
    Argon2idSlotBackend(LazySodiumJava binding) { this(binding, SlotType.PASSPHRASE); }

    Argon2idSlotBackend(LazySodiumJava binding, SlotType type) {
        this.sodium = new Libsodium(binding);
        this.type = type;
    }

    @Override public SlotType type() { return type; }

    @Override public SecretInput input() { return SecretInput.PASSPHRASE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        byte[] salt = sodium.randomBytes(Libsodium.SALT_BYTES);
        return new Enrolment(derive(secret, salt, kdf), salt, Optional.of(kdf));
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        KdfParameters kdf = slot.kdf().orElseThrow(SodiumKeySource::malformed);
        byte[] salt = slot.salt();
        if (salt.length != Libsodium.SALT_BYTES) throw SodiumKeySource.malformed();
        return derive(secret, salt, kdf);
    }

    private KeyEncryptionKey derive(SlotSecret secret, byte[] salt, KdfParameters kdf) {
        byte[] kek = new byte[Libsodium.KEY_BYTES];
        sodium.argon2id(kek, secret.revealForCrypto(), salt, kdf.opsLimit(), kdf.memLimitBytes());
        return KeyEncryptionKey.adopt(kek);
    }
}
