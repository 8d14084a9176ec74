package org.memoryvault.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock that stands still until a test moves it. */
final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) { this.now = start; }

    void advance(Duration d) { now = now.plus(d); }

    @Override public synchronized Instant instant() { return now; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }
}
