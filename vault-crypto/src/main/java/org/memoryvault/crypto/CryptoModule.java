package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import jakarta.inject.Singleton;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/**
 * vault-crypto's bindings: the {@link Sealer}, the passphrase and key-file {@link KeySource}s in
 * {@code Map<SlotType, KeySource>}, and the one libsodium binding of the process. The unlocked-key
 * cache and the session store need runtime values (clock, directory, token) and are built with
 * {@link CryptoAdapters} instead.
 */
@Module
public abstract class CryptoModule {
    private CryptoModule() {}

    @Binds abstract Sealer sealer(SodiumSealer adapter);

    @Binds @IntoMap @SlotTypeKey(SlotType.PASSPHRASE)
    abstract KeySource passphraseKeySource(PassphraseKeySource adapter);

    @Binds @IntoMap @SlotTypeKey(SlotType.KEY_FILE)
    abstract KeySource keyFileKeySource(KeyFileKeySource adapter);

    /** The process-wide binding; loads the native library on first use ({@code INTERNAL_CRYPTO} if it cannot). */
    @Provides @Singleton static LazySodiumJava lazySodium() { return Libsodium.sharedBinding(); }
}
