package org.memoryvault.hardware.fido2;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.testing.InMemoryAuditLog;
import org.memoryvault.domain.testing.InMemoryTokenRepository;
import org.memoryvault.domain.testing.InMemoryTransactions;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.hardware.AnyTokenPresenceVerifier;
import org.memoryvault.hardware.totp.TotpPresenceVerifier;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;

/** The FIDO2 presence gate with a simulated key plugged in (or not), the in-memory token store and the test sealer. */
class Fido2PresenceVerifierTest {
    private final InsecureTestSealer sealer = new InsecureTestSealer();
    private final DataKey owner = sealer.newDataKey(ProfileId.of("default"), 1);
    private final InMemoryTokenRepository tokens = new InMemoryTokenRepository();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final InMemoryTransactions tx = new InMemoryTransactions(audit);
    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-01T12:00:00Z"));
    private final Prompts codes = new Prompts();
    private Optional<SimulatedAuthenticator> plugged = Optional.of(new SimulatedAuthenticator());
    private final Fido2PresenceVerifier verifier = new Fido2PresenceVerifier(tokens, sealer, codes, audit, tx, clock,
            () -> plugged.map(d -> (HidReports) d), new SecureRandom());

    /** Records what the user was told and asked (no code is ever at hand). */
    static final class Prompts implements SecretProvider {
        final List<String> prompts = new java.util.ArrayList<>();
        String pin = "";

        @Override public Optional<char[]> devicePin(String purpose) {
            prompts.add(purpose);
            return pin.isEmpty() ? Optional.empty() : Optional.of(pin.toCharArray());
        }

        @Override public Optional<SlotSecret> secretFor(Profile profile, KeySlot slot, SlotBackend.SecretInput input) { return Optional.empty(); }

        @Override public void beforeSlowStep(String what) { prompts.add(what); }

        @Override public Optional<String> oneTimeCode(String purpose) {
            prompts.add(purpose);
            return Optional.empty();
        }
    }

    @AfterEach void close() { owner.close(); }

    private PresenceToken enroll(String name, DataKey key) {
        WebAuthnCeremonies.Registration r = verifier.register(WebAuthnCeremonies.DEFAULT_RP_ID);
        String parameters = Fido2PresenceVerifier.parameters(WebAuthnCeremonies.DEFAULT_RP_ID, r.credential.id);
        PresenceToken unsealed = new PresenceToken(name, Fido2PresenceVerifier.KIND, parameters, new byte[0], OptionalLong.empty(), clock.instant());
        PresenceToken t = new PresenceToken(name, Fido2PresenceVerifier.KIND, parameters,
                sealer.sealOwnerSecret(key, unsealed.associatedData(), r.credential.publicKeyCose), OptionalLong.empty(), clock.instant());
        tokens.insert(t);
        return t;
    }

    private PresenceVerifier.Decision ask(Optional<DataKey> key) {
        return verifier.verify(new PresenceVerifier.Request("recall of memory m (level 5)", key), tokens.list());
    }

    @Test
    void aTouchOfTheEnrolledKeyPasses_itsCounterIsRecordedAndAudited() {
        enroll("key", owner);
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).as(d.reason()).isTrue();
        assertThat(tokens.find("key").orElseThrow().lastCounter()).isEqualTo(OptionalLong.of(plugged.orElseThrow().counter()));
        AuditEvent use = audit.last().orElseThrow();
        assertThat(use.type()).isEqualTo(AuditEvent.TOKEN_USE);
        assertThat(use.fields()).containsEntry("token", "key").containsEntry("kind", "fido2");
        assertThat(codes.prompts).as("the touch prompt").anyMatch(p -> p.contains("touch"));
    }

    @Test
    void aRequestWithoutTheOwnersKeyIsRefusedBeforeTheKeyIsAsked() {
        enroll("key", owner);
        long before = plugged.orElseThrow().counter();
        assertThat(ask(Optional.empty()).present()).isFalse();
        assertThat(plugged.orElseThrow().counter()).isEqualTo(before);
    }

    @Test
    void withNoKeyPluggedInItRefusesAndSaysSo() {
        enroll("key", owner);
        plugged = Optional.empty();
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("no FIDO2 security key is plugged in");
    }

    @Test
    void aRowSealedUnderAnotherKeyIsNeverAsked() {
        try (DataKey other = sealer.newDataKey(ProfileId.of("default"), 2)) {
            enroll("key", other);
        }
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("changed outside the vault");
    }

    @Test
    void aCloneThatFellBehindIsRefusedAndNothingIsRecorded() {
        enroll("key", owner);
        SimulatedAuthenticator original = plugged.orElseThrow();
        SimulatedAuthenticator clone = original.cloneDevice();
        assertThat(ask(Optional.of(owner)).present()).isTrue();
        assertThat(ask(Optional.of(owner)).present()).isTrue();
        OptionalLong recorded = tokens.find("key").orElseThrow().lastCounter();
        int entries = audit.size();
        plugged = Optional.of(clone);
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("clone");
        assertThat(tokens.find("key").orElseThrow().lastCounter()).isEqualTo(recorded);
        assertThat(audit.size()).isEqualTo(entries);
    }

    @Test
    void theGateAsksForATotpCodeWhenNoKeyIsPluggedInAndATouchWhenOneIs() {
        enroll("key", owner);
        PresenceToken unsealed = new PresenceToken("phone", TotpPresenceVerifier.KIND, "SHA1/6/30", new byte[0], OptionalLong.empty(), clock.instant());
        tokens.insert(new PresenceToken("phone", TotpPresenceVerifier.KIND, "SHA1/6/30",
                sealer.sealOwnerSecret(owner, unsealed.associatedData(), new byte[20]), OptionalLong.empty(), clock.instant()));
        TotpPresenceVerifier totp = new TotpPresenceVerifier(tokens, sealer, codes, audit, tx, clock);
        AnyTokenPresenceVerifier gate = new AnyTokenPresenceVerifier(tokens, VaultSettings.DEFAULTS, totp, verifier,
                new org.memoryvault.hardware.yubikey.YubiKeyPresenceVerifier(sealer, codes, audit, tx, clock, () -> {
                    throw new org.memoryvault.domain.error.AccessRefusedException(org.memoryvault.domain.error.ErrorCode.ACCESS_TOKEN, "no YubiKey is plugged in");
                }, new SecureRandom(), java.time.Duration.ofMillis(100)));
        PresenceVerifier.Request request = new PresenceVerifier.Request("leaving lockdown", Optional.of(owner));
        assertThat(gate.verify(request).present()).as("a touch").isTrue();

        plugged = Optional.empty();
        codes.prompts.clear();
        PresenceVerifier.Decision d = gate.verify(request);
        assertThat(d.present()).isFalse();
        assertThat(codes.prompts).as("a TOTP code was asked for").anyMatch(p -> p.contains("TOTP code"));
        assertThat(gate.verify(new PresenceVerifier.Request("testing token key", Optional.of(owner), Optional.of("key"))).reason())
                .contains("no FIDO2 security key is plugged in");
    }

    @Test
    void aKeyWithAPinIsEnrolledWithItsPin_andAWrongOneCostsATry() {
        SimulatedAuthenticator key = plugged.orElseThrow();
        key.setPin("2468");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> enroll("key", owner)).hasMessageContaining("has a PIN");
        codes.pin = "1357";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> enroll("key", owner)).hasMessageContaining("PIN is wrong");
        assertThat(key.pinRetries()).isEqualTo(7);
        assertThat(key.credentialCount()).isZero();
        codes.pin = "2468";
        enroll("key", owner);
        assertThat(key.pinRetries()).isEqualTo(8);
        assertThat(ask(Optional.of(owner)).present()).as("a touch, no PIN, proves presence").isTrue();
    }

    @Test
    void noTokenAskedIsNoPresence() {
        enroll("key", owner);
        List<PresenceToken> none = List.of();
        assertThat(verifier.verify(new PresenceVerifier.Request("x", Optional.of(owner)), none).present()).isFalse();
    }
}
