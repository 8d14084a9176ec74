package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/**
 * Level 5 bound to a device (docs/FORMAT.md §3): what is sealed to the bound level-5 key opens only
 * with the owner key and the device secret together; levels 3 and 4 are unchanged; the device slot
 * gives the device secret back only to its device, in its place; and the binding in vault.db is
 * authenticated by the owner key.
 */
class Level5BindingProperties {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    /** A key-file slot stands in for a device here: its 32 random bytes are what the device would give. */
    private static final SlotType DEVICE = SlotType.KEY_FILE;

    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());
    private final KeySource keys = CryptoFixtures.keySource();
    private final Libsodium sodium = new Libsodium(Libsodium.sharedBinding());

    @Provide Arbitrary<ProfileId> profiles() { return CryptoArbitraries.profiles(); }

    private static AssociatedData ad(ProfileId profile, Classification level) {
        return new AssociatedData(AssociatedData.FORMAT_VERSION, MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), level, profile, 1, AT, "owner");
    }

    private KeySlot deviceSlot(DataKey bound, int slotId, byte[] device) {
        try (SlotSecret s = SlotSecret.keyFile(device.clone())) {
            return keys.wrapDeviceSecret(DEVICE, new KeySource.WrapRequest(slotId, "device", new KdfParameters(1, 8L << 20), AT), bound, s);
        }
    }

    private DataKey open(KeySlot slot, DataKey owner, byte[] device) {
        try (SlotSecret s = SlotSecret.keyFile(device.clone())) {
            return keys.unwrapDeviceSecret(slot, owner, s);
        }
    }

    @Property(tries = 30)
    void aBoundLevel5_opensWithTheOwnerKeyAndTheDeviceOnly(@ForAll("profiles") ProfileId profile, @ForAll byte[] content) {
        byte[] device = sodium.randomBytes(32);
        try (DataKey owner = sealer.newDataKey(profile, 1); DataKey bound = sealer.withNewDeviceSecret(owner)) {
            TierLocks unbound = sealer.locks(owner, false);
            TierLocks locks = sealer.bindLevel5(bound, unbound);
            assertThat(locks.level5Bound()).isTrue();
            // levels 3 and 4 keep their keys; level 5's is new
            assertThat(java.util.Arrays.copyOf(locks.publicKeys(), 64)).isEqualTo(java.util.Arrays.copyOf(unbound.publicKeys(), 64));
            assertThat(java.util.Arrays.copyOfRange(locks.publicKeys(), 64, 96))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(unbound.publicKeys(), 64, 96));

            AssociatedData ad5 = ad(profile, Classification.BLACK);
            Sealer.Sealed sealed = sealer.seal(owner, locks, ad5, Plaintext.adopt(content.clone()));
            assertThatThrownBy(() -> sealer.open(owner, ad5, sealed.content(), sealed.commitment()))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));

            KeySlot slot = deviceSlot(bound, 0, device);
            try (DataKey reopened = open(slot, owner, device)) {
                assertThat(reopened.hasDeviceSecret()).isTrue();
                sealer.requireAuthentic(reopened, locks);
                try (Plaintext p = sealer.open(reopened, ad5, sealed.content(), sealed.commitment())) {
                    assertThat(p.revealForCrypto()).isEqualTo(content);
                }
            }
            // level 4 still opens with the owner key alone
            AssociatedData ad4 = ad(profile, Classification.VAULTED);
            Sealer.Sealed four = sealer.seal(owner, locks, ad4, Plaintext.adopt(content.clone()));
            try (Plaintext p = sealer.open(owner, ad4, four.content(), four.commitment())) {
                assertThat(p.revealForCrypto()).isEqualTo(content);
            }
        }
    }

    @Property(tries = 20)
    void aDeviceSlot_opensOnlyWithItsDevice_inItsPlace(@ForAll("profiles") ProfileId profile, @ForAll @IntRange(max = 2) int move) {
        byte[] device = sodium.randomBytes(32);
        try (DataKey owner = sealer.newDataKey(profile, 1); DataKey bound = sealer.withNewDeviceSecret(owner)) {
            KeySlot slot = deviceSlot(bound, 3, device);
            assertThatThrownBy(() -> open(slot, owner, sodium.randomBytes(32)))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
            KeySlot moved = new KeySlot(move == 0 ? 4 : slot.slotId(), slot.type(), slot.label(), slot.kdf(), slot.salt(), slot.nonce(),
                    slot.wrappedKey(), slot.createdAt());
            ProfileId elsewhere = move == 1 ? ProfileId.of(profile.value().equals("other") ? "another" : "other") : profile;
            int version = move == 2 ? 2 : 1;
            try (DataKey otherOwner = sealer.newDataKey(elsewhere, version)) {
                DataKey opener = move == 0 ? owner : otherOwner;
                assertThatThrownBy(() -> open(moved, opener, device)).isInstanceOf(AccessRefusedException.class);
            }
            // a key slot of the profile (which holds the profile key) is not a device slot: different associated data
            try (SlotSecret s = SlotSecret.keyFile(device.clone())) {
                KeySlot keySlot = keys.wrap(DEVICE, new KeySource.WrapRequest(3, "k", new KdfParameters(1, 8L << 20), AT), owner, s);
                assertThatThrownBy(() -> open(keySlot, owner, device)).isInstanceOf(AccessRefusedException.class);
            }
        }
    }

    @Test
    void theBindingInVaultDb_isAuthenticatedByTheOwnerKey() {
        ProfileId profile = ProfileId.of("default");
        byte[] device = sodium.randomBytes(32);
        try (DataKey owner = sealer.newDataKey(profile, 1); DataKey bound = sealer.withNewDeviceSecret(owner);
             DataKey stranger = sealer.newDataKey(profile, 1); DataKey strangerBound = sealer.withNewDeviceSecret(stranger)) {
            TierLocks unbound = sealer.locks(owner, false);
            TierLocks locks = sealer.bindLevel5(bound, unbound);
            sealer.requireAuthentic(owner, locks);            // the owner key alone checks pk_3, pk_4 and the MAC
            sealer.requireAuthentic(bound, locks);            // with the device secret, pk_5 as well

            // a level-5 key of someone else's, with a MAC that key's owner made: refused
            TierLocks swapped = sealer.bindLevel5(strangerBound, sealer.locks(stranger, false));
            byte[] mixed = locks.publicKeys();
            System.arraycopy(swapped.publicKeys(), 64, mixed, 64, 32);
            assertThatThrownBy(() -> sealer.requireAuthentic(owner, new TierLocks(mixed, Optional.empty(), swapped.level5Binding())))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.getMessage()).contains("level-5 binding"));
            // the binding removed (level 5 sealed to the owner key alone again): a key with the device secret says so
            assertThatThrownBy(() -> sealer.requireAuthentic(bound, unbound))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.getMessage()).contains("binding was removed"));
            // a device slot of another device secret (say, forged with the agent's own recovery code): pk_5 differs
            KeySlot mine = deviceSlot(strangerBound, 0, device);
            assertThatThrownBy(() -> {
                try (DataKey k = keys.unwrapDeviceSecret(mine, owner, SlotSecret.keyFile(device.clone()))) {
                    sealer.requireAuthentic(k, locks);
                }
            }).isInstanceOf(IntegrityException.class);
        }
    }
}
