package org.memoryvault.domain.testing;

import java.util.SplittableRandom;
import org.memoryvault.domain.port.Sealer;

/** The use-case tests' sealer refuses what libsodium's refuses, with the same codes. */
class InsecureTestSealerContractTest extends SealerContract {
    @Override protected Sealer sealer() { return new InsecureTestSealer(new SplittableRandom(9)); }
}
