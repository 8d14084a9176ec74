package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.IntegrityException;

class SodiumSealerTest {
    private static final ProfileId PROFILE = ProfileId.of("default");
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    private static AssociatedData ad(ProfileId profile, int keyVersion) {
        return new AssociatedData(AssociatedData.FORMAT_VERSION, MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), Classification.PRIVATE,
                profile, keyVersion, Instant.parse("2025-01-02T03:04:05.678Z"), "agent-1");
    }

    @Test
    void seal_withAKeyNotMadeByThisModule_isRefused() {
        DataKey foreign = new DataKey() {
            @Override public ProfileId profile() { return PROFILE; }
            @Override public int keyVersion() { return 1; }
            @Override public int reach() { return 5; }
            @Override public boolean isDestroyed() { return false; }
            @Override public void close() {}
        };
        assertThatThrownBy(() -> sealer.seal(foreign, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(new byte[3])))
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_CRYPTO));
        assertThatThrownBy(() -> sealer.locks(foreign, false)).isInstanceOf(InternalVaultException.class);
    }

    @Test
    void aClosedKey_isDestroyedAndRefusedOnUse() {
        DataKey key = sealer.newDataKey(PROFILE, 1);
        Sealer.Sealed sealed = sealer.seal(key, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(new byte[] {1, 2, 3}));
        key.close();
        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(() -> sealer.open(key, ad(PROFILE, 1), sealed.content(), sealed.commitment()))
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.getMessage()).contains("closed"));
        assertThatThrownBy(() -> sealer.seal(key, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(new byte[1])))
                .isInstanceOf(InternalVaultException.class);
    }

    @Test
    void seal_withAssociatedDataOfAnotherProfileOrVersion_isRefused() {
        try (DataKey key = sealer.newDataKey(PROFILE, 2)) {
            assertThatThrownBy(() -> sealer.seal(key, TierLocks.NONE, ad(ProfileId.of("other"), 2), Plaintext.adopt(new byte[1])))
                    .isInstanceOf(InternalVaultException.class);
            assertThatThrownBy(() -> sealer.seal(key, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(new byte[1])))
                    .isInstanceOf(InternalVaultException.class);
        }
    }

    @Test
    void newDataKey_carriesProfileAndVersion_andRefusesVersionZero() {
        try (DataKey key = sealer.newDataKey(PROFILE, 7)) {
            assertThat(key.profile()).isEqualTo(PROFILE);
            assertThat(key.keyVersion()).isEqualTo(7);
            assertThat(key.isDestroyed()).isFalse();
            assertThat(key.toString()).contains("redacted").doesNotContain("[B@");
        }
        assertThatThrownBy(() -> sealer.newDataKey(PROFILE, 0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void newDataKeys_areRandom() {
        try (DataKey a = sealer.newDataKey(PROFILE, 1); DataKey b = sealer.newDataKey(PROFILE, 1)) {
            byte[] x = SodiumDataKey.copyOf(a);
            byte[] y = SodiumDataKey.copyOf(b);
            assertThat(x).hasSize(32).isNotEqualTo(y).isNotEqualTo(new byte[32]);
        }
    }

    @Test
    void emptyContent_roundTrips() {
        try (DataKey key = sealer.newDataKey(PROFILE, 1)) {
            Sealer.Sealed sealed = sealer.seal(key, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(new byte[0]));
            assertThat(sealed.content().ciphertextLength()).isEqualTo(16);
            try (Plaintext p = sealer.open(key, ad(PROFILE, 1), sealed.content(), sealed.commitment())) {
                assertThat(p.length()).isZero();
            }
        }
    }

    @Test
    void aProfileWithoutTierLocks_cannotTakeLevel3To5_butLevels0To2AreFine() {
        try (DataKey key = sealer.newDataKey(PROFILE, 1)) {
            AssociatedData high = new AssociatedData(AssociatedData.FORMAT_VERSION, ad(PROFILE, 1).id(), Classification.SEALED,
                    PROFILE, 1, Instant.parse("2025-01-02T03:04:05.678Z"), "agent-1");
            assertThatThrownBy(() -> sealer.seal(key, TierLocks.NONE, high, Plaintext.adopt(new byte[1])))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_CLEARANCE));
        }
    }

    @Test
    void ownerEscrow_opensTheOwnersKey_fromTheKeyFileTier_only() {
        try (DataKey owner = sealer.newDataKey(PROFILE, 1);
             DataKey low = new SodiumDataKey(PROFILE, 1, SodiumDataKey.copyOf(owner));
             DataKey otherLow = new SodiumDataKey(PROFILE, 1, new Libsodium(Libsodium.sharedBinding()).randomBytes(32))) {
            TierLocks locks = sealer.locks(owner, true);
            assertThat(locks.ownerEscrow()).isPresent();
            assertThat(sealer.locks(owner, false).ownerEscrow()).isEmpty();
            assertThat(sealer.locks(owner, false).publicKeys()).isEqualTo(locks.publicKeys()).hasSize(96);
            try (DataKey recovered = sealer.openEscrow(low, locks)) {
                assertThat(recovered.isOwner()).isTrue();
                assertThat(SodiumDataKey.ownerCopy(recovered)).isEqualTo(SodiumDataKey.ownerCopy(owner));
            }
            assertThatThrownBy(() -> sealer.openEscrow(otherLow, locks)).isInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void tamperMessage_containsNoContent() {
        byte[] secret = "the launch code is 0000".getBytes(StandardCharsets.UTF_8);
        try (DataKey key = sealer.newDataKey(PROFILE, 1); DataKey other = sealer.newDataKey(PROFILE, 1)) {
            Sealer.Sealed sealed = sealer.seal(key, TierLocks.NONE, ad(PROFILE, 1), Plaintext.adopt(secret.clone()));
            assertThatThrownBy(() -> sealer.open(other, ad(PROFILE, 1), sealed.content(), sealed.commitment()))
                    .hasMessageNotContaining("launch").hasMessageContaining("tampered");
        }
    }
}
