package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;

/**
 * Builds {@link Profile} and {@link KeySlot} values for storage tests. The wrapped keys are dummy
 * bytes (distinct per slot id and {@code variant}), not something a key source can unwrap.
 */
public final class ProfileTestData {
    public static final Instant DEFAULT_CREATED_AT = Instant.parse("2025-01-01T08:00:00Z");

    private ProfileTestData() {}

    public static Builder aProfile() { return new Builder(); }

    /** A passphrase slot with Argon2id parameters, salt 16 bytes, nonce 24 bytes, wrapped key 48 bytes. */
    public static KeySlot aPassphraseSlot(int slotId, int variant) {
        return new KeySlot(slotId, SlotType.PASSPHRASE, "passphrase " + slotId, Optional.of(KdfPreset.INTERACTIVE.parameters()),
                bytes(16, slotId, variant, 1), bytes(24, slotId, variant, 2), bytes(48, slotId, variant, 3),
                DEFAULT_CREATED_AT.plusSeconds(slotId));
    }

    /** A key-file slot (no KDF parameters). */
    public static KeySlot aKeyFileSlot(int slotId, int variant) {
        return new KeySlot(slotId, SlotType.KEY_FILE, "/keys/slot-" + slotId + ".key", Optional.empty(),
                bytes(16, slotId, variant, 4), bytes(24, slotId, variant, 5), bytes(48, slotId, variant, 6),
                DEFAULT_CREATED_AT.plusSeconds(slotId));
    }

    private static byte[] bytes(int n, int slotId, int variant, int field) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 13 + slotId * 7 + variant * 101 + field * 37);
        return b;
    }

    public static final class Builder {
        private ProfileId id = MemoryTestData.DEFAULT_PROFILE;
        private Instant createdAt = DEFAULT_CREATED_AT;
        private int keyVersion = 1;
        private final List<KeySlot> slots = new ArrayList<>(List.of(aPassphraseSlot(0, 0)));

        private Builder() {}

        public Builder withId(String value) { id = ProfileId.of(value); return this; }
        public Builder withId(ProfileId value) { id = value; return this; }
        public Builder withCreatedAt(Instant value) { createdAt = value; return this; }
        public Builder withKeyVersion(int value) { keyVersion = value; return this; }
        public Builder withSlots(KeySlot... value) { slots.clear(); slots.addAll(List.of(value)); return this; }
        public Builder withSlot(KeySlot value) { slots.add(value); return this; }

        public Profile build() { return new Profile(id, createdAt, keyVersion, slots); }
    }
}
