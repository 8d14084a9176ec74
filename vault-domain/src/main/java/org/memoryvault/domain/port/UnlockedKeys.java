package org.memoryvault.domain.port;

import java.time.Duration;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/**
 * The in-process cache of unlocked data keys. It owns the keys it holds: it closes (zeroes) them on
 * expiry, {@link #forget}, {@link #forgetAll} and when the process ends.
 */
public interface UnlockedKeys {
    Optional<DataKey> find(ProfileId profile);

    /** Takes ownership of {@code key} for at most {@code ttl}. */
    void remember(DataKey key, Duration ttl);

    void forget(ProfileId profile);

    void forgetAll();
}
