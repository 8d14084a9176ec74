package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/** The owner's seal key (docs/FORMAT.md §12): only the owner key derives it, and its signatures catch every change. */
class OwnerSealSignatureProperties {
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    @Property(tries = 100)
    void aSeal_verifiesUnderTheOwnersKey_andFailsForAnyChangedByteOrAnotherKey(
            @ForAll @StringLength(min = 1, max = 600) String body, @ForAll @IntRange(min = 0, max = 10_000) int at) {
        byte[] message = body.getBytes(StandardCharsets.UTF_8);
        try (DataKey owner = sealer.newDataKey(ProfileId.of("default"), 1); DataKey other = sealer.newDataKey(ProfileId.of("default"), 1)) {
            byte[] publicKey = sealer.ownerSealKey(owner);
            assertThat(sealer.ownerSealKey(owner)).as("derived, not random").isEqualTo(publicKey);
            byte[] signature = sealer.signAsOwner(owner, message);
            assertThat(sealer.verifySignature(publicKey, message, signature)).isTrue();

            byte[] changed = message.clone();
            changed[at % changed.length] ^= 1;
            assertThat(sealer.verifySignature(publicKey, changed, signature)).isFalse();
            byte[] badSignature = signature.clone();
            badSignature[at % 64] ^= (byte) 0x80;
            assertThat(sealer.verifySignature(publicKey, message, badSignature)).isFalse();
            assertThat(sealer.verifySignature(sealer.ownerSealKey(other), message, signature)).as("another owner's key").isFalse();
            assertThat(sealer.verifySignature(publicKey, message, sealer.signAsOwner(other, message))).isFalse();
        }
    }

    @Property(tries = 20)
    void aKeyFileTierKey_cannotSign(@ForAll @StringLength(min = 1, max = 50) String body) {
        try (DataKey owner = sealer.newDataKey(ProfileId.of("default"), 1);
             DataKey keyFileTier = new SodiumDataKey(owner.profile(), owner.keyVersion(), SodiumDataKey.copyOf(owner))) {
            assertThatThrownBy(() -> sealer.signAsOwner(keyFileTier, body.getBytes(StandardCharsets.UTF_8)))
                    .as("the key file holds no owner key").isInstanceOf(org.memoryvault.domain.error.VaultException.class);
        }
    }
}
