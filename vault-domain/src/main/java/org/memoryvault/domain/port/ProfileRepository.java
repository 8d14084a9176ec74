package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;

/** Key profiles and their key slots (wrapped data keys only, never a data key). */
public interface ProfileRepository {
    void create(Profile profile);

    Optional<Profile> find(ProfileId id);

    List<Profile> list();

    void addSlot(ProfileId profile, KeySlot slot);

    void removeSlot(ProfileId profile, int slotId);

    /** Replaces the profile's public tier locks (e.g. dropping the owner escrow). */
    void updateLocks(ProfileId profile, org.memoryvault.domain.model.TierLocks locks);

    /** Replaces a slot's wrapping (same slot id), for rewrap. */
    void replaceSlot(ProfileId profile, KeySlot slot);

    /** The device slots of the profile's level 5 (docs/FORMAT.md §3), by slot id; none while level 5 is not bound. */
    List<KeySlot> deviceSlots(ProfileId profile);

    /** Adds a device slot; a slot id the profile's device slots already use is {@code INPUT_INVALID}. */
    void addDeviceSlot(ProfileId profile, KeySlot slot);

    /** Removes a device slot; an unknown one is {@code NOT_FOUND_SLOT}. */
    void removeDeviceSlot(ProfileId profile, int slotId);

    /** The re-key under way for the profile (docs/FORMAT.md §3, "Re-keying"), if one was started and not finished. */
    Optional<PendingRekey> pendingRekey(ProfileId profile);

    /** Records the start of a re-key: the new tier key sealed under the owner key, for {@code keyVersion}; one at a time. */
    void startRekey(ProfileId profile, PendingRekey rekey);

    /** Ends the profile's re-key: the profile is at the re-key's key version, and the pending row is gone. */
    void finishRekey(ProfileId profile, int keyVersion);

    /** A re-key started and not finished: the key version it moves to, its new tier key sealed under the owner key, and when it began. */
    final class PendingRekey {
        private final int keyVersion;
        private final byte[] sealedKey;
        private final java.time.Instant startedAt;

        public PendingRekey(int keyVersion, byte[] sealedKey, java.time.Instant startedAt) {
            this.keyVersion = keyVersion;
            this.sealedKey = java.util.Objects.requireNonNull(sealedKey, "sealedKey").clone();
            this.startedAt = java.util.Objects.requireNonNull(startedAt, "startedAt");
        }

        public int keyVersion() { return keyVersion; }

        public byte[] sealedKey() { return sealedKey.clone(); }

        public java.time.Instant startedAt() { return startedAt; }
    }
}
