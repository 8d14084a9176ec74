package org.memoryvault.crypto;

import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.testing.SealerContract;

/** libsodium's sealer passes the contract the use-case tests' fake is held to. */
class SodiumSealerContractTest extends SealerContract {
    @Override protected Sealer sealer() { return CryptoFixtures.sealer(); }
}
