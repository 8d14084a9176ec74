package org.memoryvault.domain.testing;

import java.util.Optional;
import org.memoryvault.domain.port.PresenceVerifier;

/** The fake the use-case tests use stands where a real verifier would, so it passes the same kit. */
class FixedPresenceVerifierConformanceTest extends PresenceVerifierContract {
    @Override protected PresenceVerifier verifierWithNoToken() { return FixedPresenceVerifier.absent("test: no token"); }

    @Override protected Optional<PresenceVerifier> verifierWithToken() { return Optional.of(FixedPresenceVerifier.present()); }
}
