package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key profile: its keys (at {@code keyVersion}), wrapped once per key slot, and the public
 * {@link TierLocks} that memories of levels 3-5 are sealed to.
 */
public record Profile(ProfileId id, Instant createdAt, int keyVersion, List<KeySlot> slots, TierLocks locks) {
    public Profile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        slots = List.copyOf(slots);
        Objects.requireNonNull(locks, "locks");
        if (keyVersion < 1) throw new IllegalArgumentException("keyVersion");
    }

    /** A profile from before key tiers (format 1). */
    public Profile(ProfileId id, Instant createdAt, int keyVersion, List<KeySlot> slots) {
        this(id, createdAt, keyVersion, slots, TierLocks.NONE);
    }

    /** Whether a slot of the profile holds the owner key ({@link SlotType#holdsOwnerKey()}: a passphrase slot). */
    public boolean hasOwnerSlot() { return slots.stream().anyMatch(s -> s.type().holdsOwnerKey()); }

    public Optional<KeySlot> slot(int slotId) {
        return slots.stream().filter(s -> s.slotId() == slotId).findFirst();
    }

    public int nextSlotId() {
        return slots.stream().mapToInt(KeySlot::slotId).max().orElse(-1) + 1;
    }
}
