package org.memoryvault.crypto;

import java.util.List;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/** The module's adapters built by hand for its own tests, as {@link CryptoModule} wires them. */
final class CryptoFixtures {
    private CryptoFixtures() {}

    static Sealer sealer() { return new SodiumSealer(Libsodium.sharedBinding()); }

    /** The key-slot cipher over the passphrase and key-file backends. */
    static KeySource keySource() {
        return new SodiumKeySource(new Libsodium(Libsodium.sharedBinding()),
                List.of(new Argon2idSlotBackend(Libsodium.sharedBinding()), new KeyFileSlotBackend()));
    }
}
