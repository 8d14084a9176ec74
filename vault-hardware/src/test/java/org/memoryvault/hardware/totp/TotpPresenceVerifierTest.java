package org.memoryvault.hardware.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.domain.testing.InMemoryAuditLog;
import org.memoryvault.domain.testing.InMemoryTokenRepository;
import org.memoryvault.domain.testing.InMemoryTransactions;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;

/** The TOTP presence gate against the in-memory token store, the test sealer and a clock the test moves. */
class TotpPresenceVerifierTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Totp.Parameters P = Totp.Parameters.DEFAULT;

    private final InsecureTestSealer sealer = new InsecureTestSealer();
    private final DataKey owner = sealer.newDataKey(ProfileId.of("default"), 1);
    private final InMemoryTokenRepository tokens = new InMemoryTokenRepository();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final InMemoryTransactions tx = new InMemoryTransactions(audit);
    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-11-30T12:00:10Z"));
    private final Codes codes = new Codes();
    private final TotpPresenceVerifier verifier = new TotpPresenceVerifier(tokens, sealer, codes, audit, tx, clock);

    /** Hands out the codes a test queues, and records the prompts it was asked with. */
    static final class Codes implements SecretProvider {
        final List<String> queued = new ArrayList<>();
        final List<String> prompts = new ArrayList<>();

        @Override public Optional<SlotSecret> secretFor(Profile profile, KeySlot slot, SlotBackend.SecretInput input) { return Optional.empty(); }

        @Override public Optional<String> oneTimeCode(String purpose) {
            prompts.add(purpose);
            return queued.isEmpty() ? Optional.empty() : Optional.of(queued.remove(0));
        }
    }

    @AfterEach void close() { owner.close(); }

    private void enroll(String name, DataKey key) {
        PresenceToken unsealed = new PresenceToken(name, TotpPresenceVerifier.KIND, P.text(), new byte[0], OptionalLong.empty(), clock.instant());
        tokens.insert(new PresenceToken(name, TotpPresenceVerifier.KIND, P.text(), sealer.sealOwnerSecret(key, unsealed.associatedData(), SECRET),
                OptionalLong.empty(), clock.instant()));
    }

    private PresenceVerifier.Decision ask(Optional<DataKey> key) {
        return verifier.verify(new PresenceVerifier.Request("recall of memory m (level 5)", key));
    }

    private String codeNow() { return Totp.code(SECRET, P, clock.instant()); }

    @Test
    void withNoTokenEnrolled_itRefusesAndSaysHowToEnrol() {
        assertThat(verifier.anyEnrolled()).isFalse();
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("vault token enroll totp");
        assertThat(codes.prompts).as("nothing to ask for").isEmpty();
    }

    @Test
    void theRightCodePassesOnce_andItsUseIsAudited() {
        enroll("phone", owner);
        codes.queued.add(codeNow());
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).as(d.reason()).isTrue();
        assertThat(codes.prompts).containsExactly("recall of memory m (level 5), TOTP code of phone");
        assertThat(audit.eventsOfType(AuditEvent.TOKEN_USE)).hasSize(1);
        assertThat(tokens.find("phone").orElseThrow().lastCounter()).isEqualTo(OptionalLong.of(Totp.step(clock.instant(), 30)));

        codes.queued.add(codeNow());
        PresenceVerifier.Decision replay = ask(Optional.of(owner));
        assertThat(replay.present()).isFalse();
        assertThat(replay.reason()).contains("used already");

        clock.advance(Duration.ofSeconds(30));
        codes.queued.add(codeNow());
        assertThat(ask(Optional.of(owner)).present()).as("the next step's code").isTrue();
        assertThat(audit.eventsOfType(AuditEvent.TOKEN_USE)).hasSize(2);
    }

    @Test
    void anOlderStepAfterANewerOneIsRefused() {
        enroll("phone", owner);
        String previous = Totp.hotp(SECRET, Totp.step(clock.instant(), 30) - 1, P.algorithm(), P.digits());
        codes.queued.add(codeNow());
        assertThat(ask(Optional.of(owner)).present()).isTrue();
        codes.queued.add(previous);
        assertThat(ask(Optional.of(owner)).present()).as("a code of the step before the accepted one").isFalse();
    }

    @Test
    void aWrongCode_noCode_orNoOwnerKeyIsRefused_andNothingIsRecorded() {
        enroll("phone", owner);
        String right = codeNow();
        codes.queued.add(right.equals("000000") ? "000001" : "000000");
        assertThat(ask(Optional.of(owner)).reason()).contains("wrong TOTP code");
        assertThat(ask(Optional.of(owner)).reason()).as("no code at hand").contains("--totp-code-file");
        codes.queued.add(right);
        assertThat(ask(Optional.empty()).reason()).as("an agent's request").contains("owner's key");
        assertThat(tokens.find("phone").orElseThrow().lastCounter()).isEmpty();
        assertThat(audit.eventsOfType(AuditEvent.TOKEN_USE)).isEmpty();
    }

    @Test
    void aTokenSealedByAnotherKey_orWithEditedParameters_doesNotOpen() {
        try (DataKey stranger = sealer.newDataKey(ProfileId.of("default"), 1)) {
            enroll("forged", stranger);
        }
        codes.queued.add(codeNow());
        PresenceVerifier.Decision d = ask(Optional.of(owner));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).contains("changed outside the vault");

        tokens.remove("forged");
        enroll("phone", owner);
        PresenceToken t = tokens.find("phone").orElseThrow();
        tokens.remove("phone");
        tokens.insert(new PresenceToken("phone", t.kind(), "SHA1/8/30", t.sealedSecret(), t.lastCounter(), t.createdAt()));
        codes.queued.add(Totp.code(SECRET, Totp.Parameters.parse("SHA1/8/30"), clock.instant()));
        assertThat(ask(Optional.of(owner)).present()).as("parameters are bound to the sealed secret").isFalse();
    }

    @Test
    void withTokenRequired_onlyThatTokensCodePasses() {
        enroll("phone", owner);
        enroll("backup", owner);                              // same secret here, so only the name decides
        TotpPresenceVerifier onlyBackup = new TotpPresenceVerifier(tokens, sealer, codes, audit, tx, clock,
                new org.memoryvault.domain.policy.VaultSettings(java.time.Duration.ofHours(1), 100, java.time.Duration.ofMinutes(1),
                        org.memoryvault.domain.model.KdfPreset.INTERACTIVE, false, "backup"));
        codes.queued.add(codeNow());
        assertThat(onlyBackup.verify(new PresenceVerifier.Request("recall", Optional.of(owner))).present()).isTrue();
        assertThat(codes.prompts).last().asString().endsWith("TOTP code of backup");
        TotpPresenceVerifier missing = new TotpPresenceVerifier(tokens, sealer, codes, audit, tx, clock,
                new org.memoryvault.domain.policy.VaultSettings(java.time.Duration.ofHours(1), 100, java.time.Duration.ofMinutes(1),
                        org.memoryvault.domain.model.KdfPreset.INTERACTIVE, false, "lost"));
        assertThat(missing.verify(new PresenceVerifier.Request("recall", Optional.of(owner))).reason())
                .contains("token.required names lost, which is not enrolled");
    }
}
