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
}
