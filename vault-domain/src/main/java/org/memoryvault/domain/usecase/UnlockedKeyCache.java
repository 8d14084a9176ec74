package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockedKeys;

/**
 * The in-process data-key cache: one key per profile, each with its own expiry. Thread-safe (every
 * method holds the instance lock; the map is small). It needs no cryptography (it only closes the
 * handles it holds), so it lives in the domain and the use-case tests run the same cache as the vault.
 *
 * <p>Security: the cache owns its keys. An expired key is closed (zeroed) and dropped on the next
 * call of any method, not by a timer, so it may stay in memory until then; {@link #close()} at exit
 * zeroes everything. Remembering a different key for a cached profile closes the old key;
 * remembering the same key again only renews its expiry.
 */
public final class UnlockedKeyCache implements UnlockedKeys, AutoCloseable {
    private record Entry(DataKey key, Instant expiresAt) {}

    private final Clock clock;
    private final Map<ProfileId, Entry> entries = new HashMap<>();

    public UnlockedKeyCache(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); }

    @Override
    public synchronized Optional<DataKey> find(ProfileId profile) {
        Objects.requireNonNull(profile, "profile");
        dropExpired();
        Entry e = entries.get(profile);
        return e == null ? Optional.empty() : Optional.of(e.key());
    }

    @Override
    public synchronized void remember(DataKey key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        dropExpired();
        if (key.isDestroyed()) return;  // nothing left to cache (e.g. it had expired here already)
        Entry old = entries.put(key.profile(), new Entry(key, expiry(clock.instant(), ttl)));
        if (old != null && old.key() != key) old.key().close();
    }

    @Override
    public synchronized void forget(ProfileId profile) {
        Entry e = entries.remove(Objects.requireNonNull(profile, "profile"));
        if (e != null) e.key().close();
        dropExpired();
    }

    @Override
    public synchronized void forgetAll() {
        entries.values().forEach(e -> e.key().close());
        entries.clear();
    }

    /** How many unexpired keys the cache holds. */
    public synchronized int size() {
        dropExpired();
        return entries.size();
    }

    /** Zeroes every cached key (at exit). */
    @Override public void close() { forgetAll(); }

    /** Closes and removes every expired key, and any key someone else closed. */
    private void dropExpired() {
        Instant now = clock.instant();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!now.isBefore(e.expiresAt()) || e.key().isDestroyed()) {
                e.key().close();
                it.remove();
            }
        }
    }

    private static Instant expiry(Instant now, Duration ttl) {
        try {
            return now.plus(ttl);
        } catch (DateTimeException | ArithmeticException overflow) {
            return ttl.isNegative() ? Instant.MIN : Instant.MAX;
        }
    }

    @Override public synchronized String toString() { return "UnlockedKeyCache[" + entries.size() + " keys]"; }
}
