package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the vault is in lockdown, since when, why and on whose word. When not active, {@code since}
 * and {@code by} say when and by whom lockdown was last left, if ever.
 */
public record LockdownState(boolean active, Optional<Instant> since, Optional<String> reason, Optional<String> by) {
    public static final LockdownState OPEN = new LockdownState(false, Optional.empty(), Optional.empty(), Optional.empty());

    public LockdownState {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
    }

    /** Not in lockdown since {@code at}, when {@code by} left it (refusals before then no longer count as anomalies). */
    /** Refuses an operation that lockdown freezes: {@code ACCESS_LOCKDOWN} naming it, while lockdown is on. */
    public void refuseIfActive(String what) {
        if (active) {
            throw new org.memoryvault.domain.error.AccessRefusedException(org.memoryvault.domain.error.ErrorCode.ACCESS_LOCKDOWN,
                    "the vault is in lockdown; " + what + " is refused");
        }
    }

    public static LockdownState left(Instant at, String by) {
        return new LockdownState(false, Optional.of(at), Optional.empty(), Optional.of(by));
    }

    public static LockdownState entered(Instant at, String reason, String by) {
        return new LockdownState(true, Optional.of(at), Optional.of(reason), Optional.of(by));
    }
}
