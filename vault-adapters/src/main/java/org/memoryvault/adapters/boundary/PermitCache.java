package org.memoryvault.adapters.boundary;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.memoryvault.domain.model.Classification;

/**
 * Remembers the daemon's permits per class for a short time, so a busy vault does not flood the
 * daemon (which rate-limits tokens). Thread-safe.
 *
 * <p>Security: only permits are stored; a refusal or error is never stored and clears what it makes
 * doubtful (a "mode too low" refusal clears its class and every higher one, anything else clears
 * all). A permit's lifetime counts from when the daemon was asked, not from when it answered.
 * {@link #clear()} bumps a generation, so an answer still in flight when the cache is cleared (for
 * lockdown) is not stored afterwards. Not guaranteed: within the TTL a mode change at the daemon
 * goes unseen; that is the price of the cache, which is why it is off by default.
 */
final class PermitCache {
    private final Duration ttl;
    private final Map<Classification, Entry> permits = new EnumMap<>(Classification.class);
    private long generation;

    private record Entry(Instant askedAt, Instant expiresAt) {}

    PermitCache(Duration ttl) { this.ttl = ttl; }

    boolean enabled() { return !ttl.isZero(); }

    /** True when a permit for {@code level} asked at or before {@code now} is still fresh. */
    synchronized boolean holds(Classification level, Instant now) {
        Entry e = permits.get(level);
        if (e == null) return false;
        if (now.isBefore(e.askedAt()) || !now.isBefore(e.expiresAt())) {  // expired, or the clock went back
            permits.remove(level);
            return false;
        }
        return true;
    }

    /** The generation to pass to {@link #record} for an ask that starts now. */
    synchronized long generation() { return generation; }

    /** Records the outcome of an ask that started at {@code askedAt} in generation {@code askedIn}. */
    synchronized void record(Classification level, DaemonReplies.Kind kind, Instant askedAt, long askedIn) {
        switch (kind) {
            case PERMIT -> {
                if (enabled() && askedIn == generation) permits.put(level, new Entry(askedAt, askedAt.plus(ttl)));
            }
            case MODE_TOO_LOW -> {
                generation++;
                permits.keySet().removeIf(c -> c.level() >= level.level());
            }
            case OTHER_REFUSAL -> clear();
        }
    }

    synchronized void clear() {
        generation++;
        permits.clear();
    }
}
