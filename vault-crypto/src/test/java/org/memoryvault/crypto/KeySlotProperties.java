package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/** Key slots: any slot gives back the same data key with its secret, and nothing else opens a slot. */
@PropertyDefaults(edgeCases = EdgeCasesMode.MIXIN)
class KeySlotProperties {
    /** Far below every preset, to keep the properties fast; the format is the same. */
    private static final KdfParameters FAST = new KdfParameters(1, 8L << 20);
    private static final Instant AT = Instant.parse("2025-06-01T00:00:00Z");

    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());
    private final KeySource keys = CryptoFixtures.keySource();
    private final Libsodium sodium = new Libsodium(Libsodium.sharedBinding());

    enum Move { OTHER_PROFILE, OTHER_KEY_VERSION, OTHER_SLOT_ID }

    @Provide Arbitrary<ProfileId> profiles() { return CryptoArbitraries.profiles(); }

    @Provide Arbitrary<String> passphrases() { return CryptoArbitraries.text(0, 40); }

    /** A profile's slots: passphrase, key file, passphrase, key file (ids 0..3), with their secrets. */
    private final class Fixture implements AutoCloseable {
        final DataKey dek;
        final List<KeySlot> slots = new ArrayList<>();
        final List<byte[]> secrets = new ArrayList<>();

        Fixture(ProfileId profile, int keyVersion, String pass1, String pass2) {
            dek = sealer.newDataKey(profile, keyVersion);
            addPassphrase(pass1);
            addKeyFile();
            addPassphrase(pass2);
            addKeyFile();
        }

        private void addPassphrase(String pass) {
            try (SlotSecret s = SlotSecret.passphrase(pass.toCharArray())) {
                secrets.add(s.revealForCrypto().clone());
                slots.add(keys.wrap(SlotType.PASSPHRASE, request(slots.size()), dek, s));
            }
        }

        private void addKeyFile() {
            byte[] file = sodium.randomBytes(32);
            secrets.add(file.clone());
            try (SlotSecret s = SlotSecret.keyFile(file)) {
                slots.add(keys.wrap(SlotType.KEY_FILE, request(slots.size()), dek, s));
            }
        }

        SlotSecret secret(int i) {
            byte[] b = secrets.get(i).clone();
            return slots.get(i).type().holdsOwnerKey() ? passphraseBytes(b) : SlotSecret.keyFile(b);
        }

        @Override public void close() { dek.close(); }
    }

    @Property(tries = 8)
    void anySlot_withItsSecret_recoversTheSameDataKey(@ForAll("profiles") ProfileId profile,
                                                      @ForAll @IntRange(min = 1, max = 100_000) int keyVersion,
                                                      @ForAll("passphrases") String pass1, @ForAll("passphrases") String pass2) {
        try (Fixture f = new Fixture(profile, keyVersion, pass1, pass2)) {
            byte[] expected = SodiumDataKey.copyOf(f.dek);
            for (int i = 0; i < f.slots.size(); i++) {
                KeySlot slot = f.slots.get(i);
                assertThat(slot.slotId()).isEqualTo(i);
                assertThat(slot.nonce()).hasSize(24);
                boolean passphrase = slot.type().holdsOwnerKey();
                assertThat(slot.wrappedKey()).as("a passphrase slot also holds the owner key").hasSize(passphrase ? 80 : 48);
                try (SlotSecret s = f.secret(i); DataKey got = keys.unwrap(slot, profile, keyVersion, s)) {
                    assertThat(got.profile()).isEqualTo(profile);
                    assertThat(got.keyVersion()).isEqualTo(keyVersion);
                    assertThat(SodiumDataKey.copyOf(got)).isEqualTo(expected);
                    assertThat(got.isOwner()).as("only a passphrase slot gives the owner's key").isEqualTo(passphrase);
                    if (passphrase) assertThat(SodiumDataKey.ownerCopy(got)).isEqualTo(SodiumDataKey.ownerCopy(f.dek));
                }
            }
        }
    }

    @Property(tries = 8)
    void aWrongSecret_neverOpensAnySlot(@ForAll("profiles") ProfileId profile, @ForAll("passphrases") String pass1,
                                        @ForAll("passphrases") String pass2, @ForAll("passphrases") String wrong) {
        Assume.that(!wrong.equals(pass1) && !wrong.equals(pass2));
        try (Fixture f = new Fixture(profile, 1, pass1, pass2)) {
            for (KeySlot slot : f.slots) {
                SlotSecret bad = slot.type().holdsOwnerKey() ? SlotSecret.passphrase(wrong.toCharArray())
                        : SlotSecret.keyFile(sodium.randomBytes(32));
                try (bad) {
                    assertWrongSecret(() -> keys.unwrap(slot, profile, 1, bad));
                }
            }
        }
    }

    @Property(tries = 8)
    void aSlotMovedToAnotherProfileVersionOrId_doesNotOpen(@ForAll("profiles") ProfileId profile,
                                                          @ForAll("profiles") ProfileId otherProfile,
                                                          @ForAll("passphrases") String pass, @ForAll Move move) {
        Assume.that(!otherProfile.equals(profile));
        try (Fixture f = new Fixture(profile, 5, pass, pass)) {
            for (int i = 0; i < f.slots.size(); i++) {
                KeySlot slot = f.slots.get(i);
                try (SlotSecret s = f.secret(i)) {
                    switch (move) {
                        case OTHER_PROFILE -> assertWrongSecret(() -> keys.unwrap(slot, otherProfile, 5, s));
                        case OTHER_KEY_VERSION -> assertWrongSecret(() -> keys.unwrap(slot, profile, 6, s));
                        case OTHER_SLOT_ID -> {
                            KeySlot moved = slot.withSlotId(slot.slotId() + 10);
                            assertWrongSecret(() -> keys.unwrap(moved, profile, 5, s));
                        }
                        default -> throw new AssertionError(move);
                    }
                }
            }
        }
    }

    @Property(tries = 5)
    void anEditedSaltOrKdfCost_doesNotOpen(@ForAll("passphrases") String pass, @ForAll @IntRange(min = 0, max = 127) int bit) {
        ProfileId profile = ProfileId.of("p");
        try (Fixture f = new Fixture(profile, 1, pass, pass)) {
            KeySlot slot = f.slots.get(0);
            KeySlot saltEdited = new KeySlot(0, SlotType.PASSPHRASE, slot.label(), slot.kdf(),
                    SodiumSealerProperties.flip(slot.salt(), bit), slot.nonce(), slot.wrappedKey(), slot.createdAt());
            KeySlot costEdited = new KeySlot(0, SlotType.PASSPHRASE, slot.label(), Optional.of(new KdfParameters(2, 8L << 20)),
                    slot.salt(), slot.nonce(), slot.wrappedKey(), slot.createdAt());
            try (SlotSecret s = f.secret(0)) {
                assertWrongSecret(() -> keys.unwrap(saltEdited, profile, 1, s));
                assertWrongSecret(() -> keys.unwrap(costEdited, profile, 1, s));
            }
        }
    }

    @Property(tries = 5)
    void passphraseSlots_storeTheirCostAndAFreshSalt(@ForAll("passphrases") String pass) {
        try (Fixture f = new Fixture(ProfileId.of("p"), 1, pass, pass)) {
            KeySlot a = f.slots.get(0);
            KeySlot b = f.slots.get(2);
            assertThat(a.kdf()).contains(FAST);
            assertThat(a.salt()).hasSize(16).isNotEqualTo(b.salt());
            assertThat(f.slots.get(1).kdf()).isEmpty();
            assertThat(f.slots.get(1).salt()).isEmpty();
        }
    }

    private static KeySource.WrapRequest request(int slotId) {
        return new KeySource.WrapRequest(slotId, "slot " + slotId, FAST, AT);
    }

    /** A passphrase secret from its UTF-8 bytes. */
    private static SlotSecret passphraseBytes(byte[] utf8) {
        char[] chars = new String(utf8, java.nio.charset.StandardCharsets.UTF_8).toCharArray();
        try {
            return SlotSecret.passphrase(chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static void assertWrongSecret(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AccessRefusedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET);
            assertThat(e.getMessage()).isEqualTo("wrong passphrase or key file");
        });
    }
}
