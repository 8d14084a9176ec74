package org.memoryvault.hardware.fido2;

import java.security.SecureRandom;
import java.util.Optional;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.crypto.SlotBackendContract;

/** The FIDO2 hmac-secret slot backend (keys with a PIN) passes the conformance kit, through CTAPHID and CTAP2, on simulated keys: its own and another. */
class Fido2SlotBackendConformanceTest extends SlotBackendContract {
    private final SimulatedAuthenticator mine = new SimulatedAuthenticator().setPin("2468");
    private final SimulatedAuthenticator other = new SimulatedAuthenticator().setPin("2468");
    private final Fido2PresenceVerifierTest.Prompts prompts = pin("2468");

    private static Fido2PresenceVerifierTest.Prompts pin(String pin) {
        Fido2PresenceVerifierTest.Prompts p = new Fido2PresenceVerifierTest.Prompts();
        p.pin = pin;
        return p;
    }

    @Override protected SlotBackend newBackend() { return new Fido2SlotBackend(() -> Optional.of(mine), prompts, new SecureRandom(), 1_000, 2_000); }

    @Override protected SlotSecret secret() { return SlotSecret.of(Fido2SlotBackend.TYPE, new byte[0]); }

    @Override protected Optional<SlotSecret> wrongSecret() { return Optional.empty(); }

    @Override protected Optional<SlotBackend> backendOnAnotherDevice() {
        return Optional.of(new Fido2SlotBackend(() -> Optional.of(other), prompts, new SecureRandom(), 1_000, 2_000));
    }
}
