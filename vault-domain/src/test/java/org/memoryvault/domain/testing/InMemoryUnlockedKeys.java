package org.memoryvault.domain.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockedKeys;

/**
 * {@link UnlockedKeys} in a map, expiring by the given clock. Like the real cache it owns the keys:
 * it closes them when they expire, are replaced or forgotten, so tests can check a key was wiped.
 */
public final class InMemoryUnlockedKeys implements UnlockedKeys {
    private record Entry(DataKey key, Instant expiresAt) {}

    private final Clock clock;
    private final Map<ProfileId, Entry> entries = new HashMap<>();

    public InMemoryUnlockedKeys(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); }

    @Override
    public synchronized Optional<DataKey> find(ProfileId profile) {
        Entry e = entries.get(profile);
        if (e == null) return Optional.empty();
        if (!clock.instant().isBefore(e.expiresAt()) || e.key().isDestroyed()) {
            entries.remove(profile);
            e.key().close();
            return Optional.empty();
        }
        return Optional.of(e.key());
    }

    @Override
    public synchronized void remember(DataKey key, Duration ttl) {
        Entry old = entries.put(key.profile(), new Entry(key, clock.instant().plus(ttl)));
        if (old != null && old.key() != key) old.key().close();
    }

    @Override
    public synchronized void forget(ProfileId profile) {
        Entry e = entries.remove(profile);
        if (e != null) e.key().close();
    }

    @Override
    public synchronized void forgetAll() {
        entries.values().forEach(e -> e.key().close());
        entries.clear();
    }

    /** True when a live key for the profile is cached (does not expire anything). */
    public synchronized boolean holds(ProfileId profile) {
        Entry e = entries.get(profile);
        return e != null && clock.instant().isBefore(e.expiresAt()) && !e.key().isDestroyed();
    }

    public synchronized int size() { return entries.size(); }
}
