package org.memoryvault.hardware.totp;

import java.util.Optional;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.testing.InMemoryAuditLog;
import org.memoryvault.domain.testing.InMemoryTokenRepository;
import org.memoryvault.domain.testing.InMemoryTransactions;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;
import org.memoryvault.domain.testing.PresenceVerifierContract;

/** The TOTP verifier passes the presence conformance kit: with nothing enrolled (and with no code at hand) it refuses, with a reason. */
class TotpPresenceVerifierConformanceTest extends PresenceVerifierContract {
    private final InsecureTestSealer sealer = new InsecureTestSealer();

    @Override
    protected PresenceVerifier verifierWithNoToken() {
        InMemoryAuditLog audit = new InMemoryAuditLog();
        return new TotpPresenceVerifier(new InMemoryTokenRepository(), sealer, new TotpPresenceVerifierTest.Codes(), audit,
                new InMemoryTransactions(audit), MutableClock.startingAt());
    }

    @Override
    protected Optional<org.memoryvault.domain.model.DataKey> ownerKey() { return Optional.of(sealer.newDataKey(ProfileId.of("default"), 1)); }
}
