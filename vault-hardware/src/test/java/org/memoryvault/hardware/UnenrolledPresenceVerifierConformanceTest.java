package org.memoryvault.hardware;

import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.testing.PresenceVerifierContract;

/** With no token enrolled, level 5 stays shut: the verifier passes the kit's fail-closed checks. */
class UnenrolledPresenceVerifierConformanceTest extends PresenceVerifierContract {
    @Override protected PresenceVerifier verifierWithNoToken() { return new UnenrolledPresenceVerifier(); }
}
