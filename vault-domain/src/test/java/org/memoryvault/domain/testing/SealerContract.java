package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.Sealer;

/**
 * The contract of {@link Sealer} that the use cases rely on: run against the test-only sealer the
 * use-case tests use and against libsodium's, so the fake refuses what the real one refuses, with
 * the same codes.
 */
public abstract class SealerContract {
    private static final ProfileId P = ProfileId.of("contract");
    private static final ProfileId Q = ProfileId.of("another");
    private static final Instant AT = Instant.parse("2026-02-03T04:05:06.789Z");

    protected abstract Sealer sealer();

    private final SplittableRandom random = new SplittableRandom(42);

    private AssociatedData ad(Classification level, ProfileId profile, String author) {
        return new AssociatedData(AssociatedData.FORMAT_VERSION, MemoryId.generate(random), level, profile, 1, AT, author);
    }

    private Sealer.Sealed seal(Sealer s, DataKey key, AssociatedData ad, String text) {
        try (Plaintext p = Plaintext.adopt(text.getBytes(StandardCharsets.UTF_8))) {
            return s.seal(key, s.locks(key, false), ad, p);
        }
    }

    private static String text(Plaintext p) {
        try (p) {
            return new String(p.revealForCrypto(), StandardCharsets.UTF_8);
        }
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void theOwnerKey_sealsAndOpens_everyLevel() {
        Sealer s = sealer();
        try (DataKey owner = s.newDataKey(P, 1)) {
            assertThat(owner.isOwner()).isTrue();
            for (Classification level : Classification.values()) {
                AssociatedData ad = ad(level, P, "agent-1");
                Sealer.Sealed sealed = seal(s, owner, ad, "level " + level.level());
                assertThat(text(s.open(owner, ad, sealed.content(), sealed.commitment()))).isEqualTo("level " + level.level());
            }
        }
    }

    @Test
    void editedAssociatedData_isIntegrityTampered_atEveryLevel() {
        Sealer s = sealer();
        try (DataKey owner = s.newDataKey(P, 1)) {
            for (Classification level : Classification.values()) {
                AssociatedData ad = ad(level, P, "agent-1");
                Sealer.Sealed sealed = seal(s, owner, ad, "the content");
                AssociatedData otherAuthor = new AssociatedData(ad.formatVersion(), ad.id(), level, P, 1, AT, "agent-2");
                assertCode(() -> s.open(owner, otherAuthor, sealed.content(), sealed.commitment()), ErrorCode.INTEGRITY_TAMPERED);
            }
        }
    }

    @Test
    void anotherProfilesKey_opensNothing() {
        Sealer s = sealer();
        try (DataKey mine = s.newDataKey(P, 1); DataKey theirs = s.newDataKey(Q, 1)) {
            AssociatedData ad = ad(Classification.PRIVATE, P, "agent-1");
            Sealer.Sealed sealed = seal(s, mine, ad, "mine");
            assertThatThrownBy(() -> s.open(theirs, ad, sealed.content(), sealed.commitment())).isInstanceOf(VaultException.class);
        }
    }

    @Test
    void anAgentCredential_opensUpToItsClearance_andNoFurther() {
        Sealer s = sealer();
        byte[] credential = new byte[32];
        random.nextBytes(credential);
        try (DataKey owner = s.newDataKey(P, 1); SlotSecret c = SlotSecret.keyFile(credential.clone())) {
            Sealer.Enrollment e = s.enroll(owner, "planner", Classification.PRIVATE, c);
            PrincipalRecord row = new PrincipalRecord("planner", P, Classification.PRIVATE, 1, e.credentialId(), e.boxPublicKey(),
                    e.wrappedKey(), e.ownerMac(), Optional.empty(), AT);
            s.requireAuthentic(owner, row);
            AssociatedData two = ad(Classification.PRIVATE, P, "owner");
            AssociatedData three = ad(Classification.SEALED, P, "owner");
            Sealer.Sealed sealedTwo = seal(s, owner, two, "level two");
            Sealer.Sealed sealedThree = seal(s, owner, three, "level three");
            try (SlotSecret again = SlotSecret.keyFile(credential.clone()); DataKey agent = s.authenticate(row, again)) {
                assertThat(agent.isOwner()).isFalse();
                assertThat(text(s.open(agent, two, sealedTwo.content(), sealedTwo.commitment()))).isEqualTo("level two");
                assertCode(() -> s.open(agent, three, sealedThree.content(), sealedThree.commitment()), ErrorCode.ACCESS_CLEARANCE);
            }
            byte[] wrong = credential.clone();
            wrong[0] ^= 1;
            try (SlotSecret bad = SlotSecret.keyFile(wrong)) {
                assertCode(() -> s.authenticate(row, bad), ErrorCode.ACCESS_WRONG_SECRET);
            }
            PrincipalRecord raised = new PrincipalRecord("planner", P, Classification.BLACK, 1, e.credentialId(), e.boxPublicKey(),
                    e.wrappedKey(), e.ownerMac(), Optional.empty(), AT);
            assertCode(() -> s.requireAuthentic(owner, raised), ErrorCode.INTEGRITY_TAMPERED);
        }
    }

    @Test
    void publicLocksOfAnotherOwnerKey_areTampered() {
        Sealer s = sealer();
        try (DataKey owner = s.newDataKey(P, 1); DataKey other = s.newDataKey(P, 1)) {
            TierLocks mine = s.locks(owner, false);
            s.requireAuthentic(owner, mine);
            assertCode(() -> s.requireAuthentic(owner, s.locks(other, false)), ErrorCode.INTEGRITY_TAMPERED);
        }
    }

    @Test
    void ownerSignatures_verifyUnderTheOwnersSealKeyOnly() {
        Sealer s = sealer();
        try (DataKey owner = s.newDataKey(P, 1); DataKey other = s.newDataKey(P, 1)) {
            byte[] message = "owner seal 1".getBytes(StandardCharsets.UTF_8);
            byte[] signature = s.signAsOwner(owner, message);
            byte[] publicKey = s.ownerSealKey(owner);
            assertThat(s.ownerSealKey(owner)).as("derived, so stable").isEqualTo(publicKey);
            assertThat(s.verifySignature(publicKey, message, signature)).isTrue();
            byte[] edited = message.clone();
            edited[edited.length - 1] ^= 1;
            assertThat(s.verifySignature(publicKey, edited, signature)).isFalse();
            assertThat(s.verifySignature(s.ownerSealKey(other), message, signature)).isFalse();
        }
    }

    @Test
    void ownerSecrets_openWithTheOwnerKeyAndTheirAssociatedDataOnly() {
        Sealer s = sealer();
        try (DataKey owner = s.newDataKey(P, 1); DataKey other = s.newDataKey(P, 1)) {
            byte[] ad = "MVTK token phone".getBytes(StandardCharsets.UTF_8);
            byte[] secret = "twenty bytes secret!".getBytes(StandardCharsets.UTF_8);
            byte[] sealed = s.sealOwnerSecret(owner, ad, secret);
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(new String(secret, StandardCharsets.ISO_8859_1));
            assertThat(s.openOwnerSecret(owner, ad, sealed)).isEqualTo(secret);
            assertCode(() -> s.openOwnerSecret(other, ad, sealed), ErrorCode.INTEGRITY_TAMPERED);
            assertCode(() -> s.openOwnerSecret(owner, "MVTK token other".getBytes(StandardCharsets.UTF_8), sealed),
                    ErrorCode.INTEGRITY_TAMPERED);
            byte[] flipped = sealed.clone();
            flipped[flipped.length - 1] ^= 1;
            assertCode(() -> s.openOwnerSecret(owner, ad, flipped), ErrorCode.INTEGRITY_TAMPERED);
            assertCode(() -> s.openOwnerSecret(owner, ad, new byte[3]), ErrorCode.INTEGRITY_TAMPERED);
        }
    }
}
