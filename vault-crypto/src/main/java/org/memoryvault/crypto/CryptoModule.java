package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import jakarta.inject.Singleton;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Signer;
import org.memoryvault.domain.port.UnlockSessions;
import java.time.Clock;

/**
 * vault-crypto's wiring, its one public face for the component: the {@link Sealer}, the
 * {@link KeySource} (the key-slot cipher over {@code Set<SlotBackend>}), the passphrase and key-file
 * {@link SlotBackend}s (other modules add theirs with {@code @IntoSet}), the unlock-session store and
 * the audit signer (in the places {@link CryptoFiles} names), and the one libsodium binding of the
 * process. There is no second, hand-wired entry point.
 */
@Module
public abstract class CryptoModule {
    private CryptoModule() {}

    @Binds abstract Sealer sealer(SodiumSealer adapter);

    @Binds abstract KeySource keySource(SodiumKeySource adapter);

    @Binds abstract org.memoryvault.domain.port.KeyEscrow keyEscrow(SodiumKeyEscrow adapter);

    @Binds abstract org.memoryvault.domain.port.BackupCipher backupCipher(SodiumBackupCipher adapter);

    @Binds @IntoSet abstract SlotBackend passphraseBackend(Argon2idSlotBackend backend);

    @Binds @IntoSet abstract SlotBackend keyFileBackend(KeyFileSlotBackend backend);

    @Provides @IntoSet
    static SlotBackend recoveryCodeBackend(LazySodiumJava binding) {
        return new Argon2idSlotBackend(binding, org.memoryvault.domain.model.SlotType.RECOVERY_CODE);
    }

    @Provides @Singleton
    static UnlockSessions unlockSessions(CryptoFiles files, Clock clock, LazySodiumJava binding) {
        return new FileUnlockSessions(files.sessionsDir(), files.sessionToken(), clock, binding);
    }

    @Provides @Singleton
    static Signer auditSigner(CryptoFiles files, LazySodiumJava binding) {
        return new SodiumEd25519Signer(files.auditKeysDir(), binding);
    }

    /** The process-wide binding; loads the native library on first use ({@code INTERNAL_CRYPTO} if it cannot). */
    @Provides @Singleton static LazySodiumJava lazySodium() { return Libsodium.sharedBinding(); }
}
