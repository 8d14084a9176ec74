package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A key profile: one data key (at {@code keyVersion}), wrapped once per key slot. */
public record Profile(ProfileId id, Instant createdAt, int keyVersion, List<KeySlot> slots) {
    public Profile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        slots = List.copyOf(slots);
        if (keyVersion < 1) throw new IllegalArgumentException("keyVersion");
    }

    public Optional<KeySlot> slot(int slotId) {
        return slots.stream().filter(s -> s.slotId() == slotId).findFirst();
    }

    public int nextSlotId() {
        return slots.stream().mapToInt(KeySlot::slotId).max().orElse(-1) + 1;
    }
}
