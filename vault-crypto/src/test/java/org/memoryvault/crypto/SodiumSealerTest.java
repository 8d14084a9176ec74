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
import org.memoryvault.domain.model.SealedContent;

class SodiumSealerTest {
    private static final ProfileId PROFILE = ProfileId.of("default");
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    private static AssociatedData ad(ProfileId profile, int keyVersion) {
        return new AssociatedData(1, MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), Classification.PRIVATE,
                profile, keyVersion, Instant.parse("2025-01-02T03:04:05.678Z"), "agent-1");
    }

    @Test
    void seal_withAKeyNotMadeByThisModule_isRefused() {
        DataKey foreign = new DataKey() {
            @Override public ProfileId profile() { return PROFILE; }
            @Override public int keyVersion() { return 1; }
            @Override public boolean isDestroyed() { return false; }
            @Override public void close() {}
        };
        assertThatThrownBy(() -> sealer.seal(foreign, ad(PROFILE, 1), Plaintext.adopt(new byte[3])))
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_CRYPTO));
        assertThatThrownBy(() -> sealer.commit(foreign, ad(PROFILE, 1).id(), Plaintext.adopt(new byte[3])))
                .isInstanceOf(InternalVaultException.class);
    }

    @Test
    void aClosedKey_isDestroyedAndRefusedOnUse() {
        DataKey key = sealer.newDataKey(PROFILE, 1);
        SealedContent sealed = sealer.seal(key, ad(PROFILE, 1), Plaintext.adopt(new byte[] {1, 2, 3}));
        key.close();
        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(() -> sealer.open(key, ad(PROFILE, 1), sealed))
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.getMessage()).contains("closed"));
        assertThatThrownBy(() -> sealer.seal(key, ad(PROFILE, 1), Plaintext.adopt(new byte[1])))
                .isInstanceOf(InternalVaultException.class);
    }

    @Test
    void seal_withAssociatedDataOfAnotherProfileOrVersion_isRefused() {
        try (DataKey key = sealer.newDataKey(PROFILE, 2)) {
            assertThatThrownBy(() -> sealer.seal(key, ad(ProfileId.of("other"), 2), Plaintext.adopt(new byte[1])))
                    .isInstanceOf(InternalVaultException.class);
            assertThatThrownBy(() -> sealer.seal(key, ad(PROFILE, 1), Plaintext.adopt(new byte[1])))
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
            SealedContent sealed = sealer.seal(key, ad(PROFILE, 1), Plaintext.adopt(new byte[0]));
            assertThat(sealed.ciphertextLength()).isEqualTo(16);
            try (Plaintext p = sealer.open(key, ad(PROFILE, 1), sealed)) {
                assertThat(p.length()).isZero();
            }
        }
    }

    @Test
    void tamperMessage_containsNoContent() {
        byte[] secret = "the launch code is 0000".getBytes(StandardCharsets.UTF_8);
        try (DataKey key = sealer.newDataKey(PROFILE, 1); DataKey other = sealer.newDataKey(PROFILE, 1)) {
            SealedContent sealed = sealer.seal(key, ad(PROFILE, 1), Plaintext.adopt(secret.clone()));
            assertThatThrownBy(() -> sealer.open(other, ad(PROFILE, 1), sealed))
                    .hasMessageNotContaining("launch").hasMessageContaining("tampered");
        }
    }
}
