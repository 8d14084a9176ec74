package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.Set;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;

/**
 * Wraps a profile's keys into key slots and unwraps them, for every slot type that has a
 * {@link SlotBackend}. vault-crypto implements it once, over all registered backends: the backend
 * gives the key-encryption key, this port does the authenticated wrapping with the slot's
 * associated data (docs/FORMAT.md §3). The domain never sees key bytes.
 *
 * <p>Security: a wrong secret, a wrong device, or a slot moved or edited is
 * {@code AccessRefusedException(ACCESS_WRONG_SECRET)}, with no hint of which. A stored slot type
 * with no backend installed is {@code INPUT_SLOT_BACKEND}, naming the type.
 */
public interface KeySource {
    /** The slot types a backend is installed for. */
    Set<SlotType> types();

    /** How the secret of a slot type is obtained; {@code INPUT_SLOT_BACKEND} if no backend has the type. */
    SlotBackend.SecretInput input(SlotType type);

    /** A new slot of {@code type} holding {@code dataKey}, opened by {@code secret}. */
    KeySlot wrap(SlotType type, WrapRequest request, DataKey dataKey, SlotSecret secret);

    /** The keys in {@code slot} (a new handle, the caller closes it). */
    DataKey unwrap(KeySlot slot, ProfileId profile, int keyVersion, SlotSecret secret);

    /**
     * A new device slot of level 5 (docs/FORMAT.md §3, "Level 5 bound to a device"): the device
     * secret that {@code boundKey} carries, wrapped under the KEK of a {@code type} slot opened by
     * {@code secret}. Device slots are not key slots: they hold no profile key.
     */
    KeySlot wrapDeviceSecret(SlotType type, WrapRequest request, DataKey boundKey, SlotSecret secret);

    /**
     * The owner's key with the device secret in {@code slot} (a new handle, the caller closes it;
     * {@code ownerKey} stays open). A wrong device or secret is {@code ACCESS_WRONG_SECRET}; the
     * caller still checks the result against the profile's locks ({@link Sealer#requireAuthentic}).
     */
    DataKey unwrapDeviceSecret(KeySlot slot, DataKey ownerKey, SlotSecret secret);

    /** What a new slot is: its id, label, the Argon2id cost for a typed secret, and its time. */
    record WrapRequest(int slotId, String label, KdfParameters kdf, Instant at) {}
}
