package org.memoryvault.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** The least time between two granted recalls of one memory. Zero means no cooldown. */
public record Cooldown(Duration length) {
    public static final Cooldown NONE = new Cooldown(Duration.ZERO);

    public Cooldown {
        Objects.requireNonNull(length, "length");
        if (length.isNegative()) throw new InvalidInputException(ErrorCode.INPUT_DURATION, "cooldown is negative");
    }

    /** True when a recall at {@code now} keeps the spacing after the last granted recall. */
    public boolean permitsRecall(Instant lastGranted, Instant now) {
        return !now.isBefore(lastGranted.plus(length));
    }

    /** When the next recall is permitted. */
    public Instant nextAllowed(Instant lastGranted) { return lastGranted.plus(length); }
}
