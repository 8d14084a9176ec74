package org.memoryvault.domain.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A UTC {@link Clock} that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {
    /** The instant {@link #startingAt()} uses: a fixed, millisecond-exact moment. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-15T09:30:00Z");

    private volatile Instant now;

    public MutableClock(Instant start) { this.now = Objects.requireNonNull(start, "start"); }

    public static MutableClock startingAt() { return new MutableClock(DEFAULT_START); }

    public static MutableClock startingAt(Instant start) { return new MutableClock(start); }

    public Instant advance(Duration by) {
        synchronized (this) {
            now = now.plus(by);
            return now;
        }
    }

    public void set(Instant instant) { now = Objects.requireNonNull(instant, "instant"); }

    @Override public Instant instant() { return now; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) throw new UnsupportedOperationException("MutableClock is UTC only");
        return this;
    }

    @Override public String toString() { return "MutableClock[" + now + "]"; }
}
