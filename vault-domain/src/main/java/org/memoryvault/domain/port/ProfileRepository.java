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
}
