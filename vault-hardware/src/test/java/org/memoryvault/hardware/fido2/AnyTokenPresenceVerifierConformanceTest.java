package org.memoryvault.hardware.fido2;

import java.security.SecureRandom;
import java.util.Optional;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.testing.InMemoryAuditLog;
import org.memoryvault.domain.testing.InMemoryTokenRepository;
import org.memoryvault.domain.testing.InMemoryTransactions;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;
import org.memoryvault.domain.testing.PresenceVerifierContract;
import org.memoryvault.hardware.AnyTokenPresenceVerifier;
import org.memoryvault.hardware.totp.TotpPresenceVerifier;

/** The gate the vault binds (TOTP and FIDO2 together) passes the presence conformance kit, with a simulated key plugged in. */
class AnyTokenPresenceVerifierConformanceTest extends PresenceVerifierContract {
    private final InsecureTestSealer sealer = new InsecureTestSealer();

    @Override
    protected PresenceVerifier verifierWithNoToken() {
        InMemoryAuditLog audit = new InMemoryAuditLog();
        InMemoryTokenRepository tokens = new InMemoryTokenRepository();
        InMemoryTransactions tx = new InMemoryTransactions(audit);
        MutableClock clock = MutableClock.startingAt();
        Fido2PresenceVerifierTest.Prompts prompts = new Fido2PresenceVerifierTest.Prompts();
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        return new AnyTokenPresenceVerifier(tokens, VaultSettings.DEFAULTS, new TotpPresenceVerifier(tokens, sealer, prompts, audit, tx, clock),
                new Fido2PresenceVerifier(tokens, sealer, prompts, audit, tx, clock, () -> Optional.of(key), new SecureRandom()),
                new org.memoryvault.hardware.yubikey.YubiKeyPresenceVerifier(sealer, prompts, audit, tx, clock, () -> {
                    throw new org.memoryvault.domain.error.AccessRefusedException(org.memoryvault.domain.error.ErrorCode.ACCESS_TOKEN, "no YubiKey is plugged in");
                }, new SecureRandom(), java.time.Duration.ofMillis(100)));
    }

    @Override
    protected Optional<org.memoryvault.domain.model.DataKey> ownerKey() { return Optional.of(sealer.newDataKey(ProfileId.of("default"), 1)); }
}
