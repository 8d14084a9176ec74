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

/**
 * vault-crypto's bindings: the {@link Sealer}, the {@link KeySource} (the key-slot cipher over
 * {@code Set<SlotBackend>}), the passphrase and key-file {@link SlotBackend}s (other modules add
 * theirs with {@code @IntoSet}), and the one libsodium binding of the process. The unlocked-key
 * cache and the session store need runtime values (clock, directory, token) and are built with
 * {@link CryptoAdapters} instead.
 */
@Module
public abstract class CryptoModule {
    private CryptoModule() {}

    @Binds abstract Sealer sealer(SodiumSealer adapter);

    @Binds abstract KeySource keySource(SodiumKeySource adapter);

    @Binds @IntoSet abstract SlotBackend passphraseBackend(Argon2idSlotBackend backend);

    @Binds @IntoSet abstract SlotBackend keyFileBackend(KeyFileSlotBackend backend);

    /** The process-wide binding; loads the native library on first use ({@code INTERNAL_CRYPTO} if it cannot). */
    @Provides @Singleton static LazySodiumJava lazySodium() { return Libsodium.sharedBinding(); }
}
