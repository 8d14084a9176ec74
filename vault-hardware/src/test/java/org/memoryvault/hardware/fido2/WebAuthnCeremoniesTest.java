package org.memoryvault.hardware.fido2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;

/**
 * Registration and assertion from the simulated authenticator's real P-256 signatures, through the
 * same CTAPHID and CTAP2 code a USB key takes, verified by the real webauthn-server-core.
 */
class WebAuthnCeremoniesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final WebAuthnCeremonies ceremonies = new WebAuthnCeremonies(WebAuthnCeremonies.DEFAULT_RP_ID);

    private static Ctap2 ctap(SimulatedAuthenticator device) {
        return new Ctap2(CtapHid.open(device, RANDOM, 1_000, 5_000), () -> false);
    }

    @Test
    void aRegisteredCredentialAssertsAndItsCounterGrows() {
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(key));
        assertThat(r.credential.id).isNotEmpty();
        assertThat(r.attestationTrusted).as("self attestation chains to no root").isFalse();
        assertThat(key.credentialCount()).isEqualTo(1);

        WebAuthnCeremonies.Assertion first = ceremonies.authenticate(ctap(key), List.of(r.credential));
        assertThat(first.credentialId).isEqualTo(r.credential.id);
        assertThat(first.signatureCount).isGreaterThan(r.credential.signatureCount);
        WebAuthnCeremonies.Credential stored = new WebAuthnCeremonies.Credential(r.credential.id, r.credential.publicKeyCose, first.signatureCount);
        assertThat(ceremonies.authenticate(ctap(key), List.of(stored)).signatureCount).isGreaterThan(first.signatureCount);
    }

    @Test
    void aClonedKeyWhoseCounterFellBehindIsRefused() {
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(key));
        SimulatedAuthenticator clone = key.cloneDevice();
        long used = ceremonies.authenticate(ctap(key), List.of(r.credential)).signatureCount;
        used = ceremonies.authenticate(ctap(key), List.of(new WebAuthnCeremonies.Credential(r.credential.id, r.credential.publicKeyCose, used)))
                .signatureCount;
        WebAuthnCeremonies.Credential stored = new WebAuthnCeremonies.Credential(r.credential.id, r.credential.publicKeyCose, used);
        assertThatThrownBy(() -> ceremonies.authenticate(ctap(clone), List.of(stored)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("clone");
    }

    @Test
    void anotherKeyHoldsNoneOfTheCredentials() {
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(new SimulatedAuthenticator()));
        assertThatThrownBy(() -> ceremonies.authenticate(ctap(new SimulatedAuthenticator()), List.of(r.credential)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("holds none of the enrolled credentials");
    }

    @Test
    void anEnrolledPublicKeyThatIsNotTheKeysOwnFailsVerification() {
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(key));
        WebAuthnCeremonies.Registration other = ceremonies.register(ctap(new SimulatedAuthenticator()));
        // what an agent editing vault.db would try: the key's credential id with another public key
        WebAuthnCeremonies.Credential swapped = new WebAuthnCeremonies.Credential(r.credential.id, other.credential.publicKeyCose, 0);
        assertThatThrownBy(() -> ceremonies.authenticate(ctap(key), List.of(swapped)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("did not verify");
    }

    @Test
    void aRefusedTouchIsARefusal() {
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(key));
        key.touch(false);
        assertThatThrownBy(() -> ceremonies.authenticate(ctap(key), List.of(r.credential)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("denied");
    }

    @Test
    void keepalivesWhileWaitingForATouchAreWaitedThrough() {
        SimulatedAuthenticator key = new SimulatedAuthenticator();
        key.keepalivesBeforeTouch(5);
        WebAuthnCeremonies.Registration r = ceremonies.register(ctap(key));
        assertThat(ceremonies.authenticate(ctap(key), List.of(r.credential)).credentialId).isEqualTo(r.credential.id);
    }
}
