package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;

/**
 * Wraps and unwraps a profile's data key for one kind of key slot. Integrators add a key source
 * (e.g. a hardware token) by implementing this and registering it for its {@link SlotType}.
 *
 * <p>Security: a wrong secret is {@code AccessRefusedException(ACCESS_WRONG_SECRET)}, with no hint
 * of what was wrong. Implementations wipe every derived key before returning.
 */
public interface KeySource {
    SlotType type();

    KeySlot wrap(WrapRequest request, DataKey dataKey, SlotSecret secret);

    DataKey unwrap(KeySlot slot, org.memoryvault.domain.model.ProfileId profile, int keyVersion, SlotSecret secret);

    /** What a new slot is: its id, label and (for passphrase slots) Argon2id cost. */
    record WrapRequest(int slotId, String label, Optional<KdfParameters> kdf, Instant at) {}
}
