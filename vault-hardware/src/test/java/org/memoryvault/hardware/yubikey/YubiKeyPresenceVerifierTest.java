package org.memoryvault.hardware.yubikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
import org.memoryvault.domain.testing.InMemoryTransactions;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;

/** The YubiKey presence gate through the frame protocol, on simulated keys: the enrolled one, another, one that waits for a touch. */
class YubiKeyPresenceVerifierTest {
    private static final byte[] SECRET = "the slot's secret!!!".getBytes(StandardCharsets.US_ASCII);
    private final InsecureTestSealer sealer = new InsecureTestSealer();
    private final DataKey owner = sealer.newDataKey(ProfileId.of("default"), 1);
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private SimulatedYubiKey plugged = new SimulatedYubiKey().program(2, SECRET, false);
    private final YubiKeyPresenceVerifier verifier = new YubiKeyPresenceVerifier(sealer, new NoSecrets(), audit,
            new InMemoryTransactions(audit), MutableClock.startingAt(Instant.parse("2026-12-01T12:00:00Z")), () -> plugged, new SecureRandom(),
            Duration.ofMillis(300));

    /** No secret is ever typed for a YubiKey token. */
    static final class NoSecrets implements org.memoryvault.domain.port.SecretProvider {
        @Override
        public Optional<org.memoryvault.domain.model.SlotSecret> secretFor(org.memoryvault.domain.model.Profile profile,
                org.memoryvault.domain.model.KeySlot slot, org.memoryvault.domain.port.SlotBackend.SecretInput input) {
            return Optional.empty();
        }
    }

    @AfterEach void close() { owner.close(); }

    private PresenceToken token(DataKey key) {
        PresenceToken unsealed = new PresenceToken("yk", YubiKeyPresenceVerifier.KIND, "2", new byte[0], OptionalLong.empty(), Instant.EPOCH);
        return new PresenceToken("yk", YubiKeyPresenceVerifier.KIND, "2", sealer.sealOwnerSecret(key, unsealed.associatedData(), SECRET),
                OptionalLong.empty(), Instant.EPOCH);
    }

    private PresenceVerifier.Decision ask(Optional<DataKey> key, PresenceToken t) {
        return verifier.verify(new PresenceVerifier.Request("leaving lockdown", key), java.util.List.of(t));
    }

    @Test
    void theEnrolledKeyAnswersAFreshChallenge_andTheUseIsAudited() {
        assertThat(verifier.answersWith(2, SECRET)).isTrue();
        PresenceVerifier.Decision d = ask(Optional.of(owner), token(owner));
        assertThat(d.present()).as(d.reason()).isTrue();
        assertThat(audit.eventsOfType(AuditEvent.TOKEN_USE)).hasSize(1);
        assertThat(ask(Optional.of(owner), token(owner)).present()).as("every use is a new challenge").isTrue();
        assertThat(plugged.challengesAnswered()).isEqualTo(3);
    }

    @Test
    void anotherKeyOrAnotherSlotIsRefused() {
        plugged = new SimulatedYubiKey().program(2, "another key's secret".getBytes(StandardCharsets.US_ASCII), false)
                .program(1, SECRET, false);
        assertThat(verifier.answersWith(2, SECRET)).isFalse();
        PresenceVerifier.Decision d = ask(Optional.of(owner), token(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("not the enrolled one");
        assertThat(audit.eventsOfType(AuditEvent.TOKEN_USE)).isEmpty();
    }

    @Test
    void withoutTheOwnersKeyTheKeyIsNotEvenAsked() {
        assertThat(ask(Optional.empty(), token(owner)).present()).isFalse();
        assertThat(plugged.challengesAnswered()).isZero();
    }

    @Test
    void aRowSealedUnderAnotherKeyIsNeverAsked() {
        try (DataKey other = sealer.newDataKey(ProfileId.of("default"), 2)) {
            PresenceVerifier.Decision d = ask(Optional.of(owner), token(other));
            assertThat(d.present()).isFalse();
            assertThat(d.reason()).contains("changed outside the vault");
        }
        assertThat(plugged.challengesAnswered()).isZero();
    }

    @Test
    void aSlotThatWaitsForATouchThatNeverComesIsRefused() {
        plugged = new SimulatedYubiKey().program(2, SECRET, true);
        PresenceVerifier.Decision d = ask(Optional.of(owner), token(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("touch");
    }
}
