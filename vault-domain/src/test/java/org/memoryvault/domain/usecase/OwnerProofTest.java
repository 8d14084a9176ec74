package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.InsecureTestDataKey;

/** Who proves the owner: only a secret that yields the owner key, in a profile with key tiers. */
class OwnerProofTest {
    /** A key source whose passphrase slots give only the level-2 tier key, as a slot forged with the key file would. */
    private static KeySource tierKeyOnly(KeySource real) {
        return new KeySource() {
            @Override public Set<SlotType> types() { return real.types(); }
            @Override public SlotBackend.SecretInput input(SlotType type) { return real.input(type); }
            @Override public KeySlot wrap(SlotType type, WrapRequest request, DataKey dataKey, SlotSecret secret) {
                return real.wrap(type, request, dataKey, secret);
            }
            @Override public DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret) {
                try (DataKey k = real.unwrap(slot, profile, keyVersion, secret)) {
                    return ((InsecureTestDataKey) k).withReach(2);
                }
            }
            @Override public KeySlot wrapDeviceSecret(SlotType type, WrapRequest request, DataKey boundKey, SlotSecret secret) {
                return real.wrapDeviceSecret(type, request, boundKey, secret);
            }
            @Override public DataKey unwrapDeviceSecret(KeySlot slot, DataKey ownerKey, SlotSecret secret) {
                return real.unwrapDeviceSecret(slot, ownerKey, secret);
            }
        };
    }

    @Test
    void theOwnersPassphrase_provesTheOwner_withTheOwnerKey() {
        InMemoryVault vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.cache().forgetAll();
        try (OwnedKey k = vault.ownerProof().prove(InMemoryVault.PROFILE)) {
            assertThat(k.isOwner()).isTrue();
        }
    }

    @Test
    void aPassphraseSlotWithoutTheOwnerKey_inAProfileWithKeyTiers_provesNothing() {
        InMemoryVault vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.cache().forgetAll();
        KeyAccess keys = new KeyAccess(vault.profiles(), tierKeyOnly(vault.keySource()), vault.cache(), vault.sessions(),
                vault.secrets(), vault.settings(), vault.sealer());
        OwnerProof proof = new OwnerProof(keys, vault.state(), vault.settings(), vault.tx());

        assertThatThrownBy(() -> proof.prove(InMemoryVault.PROFILE))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET);
                    assertThat(e.getMessage()).contains("does not hold the owner key");
                });
    }
}
