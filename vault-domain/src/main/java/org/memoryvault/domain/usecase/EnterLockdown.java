package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.UnlockedKeys;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Puts the vault in lockdown: no store or recall until the owner leaves it. Anyone may enter.
 * Entering also wipes cached keys, destroys unlock sessions and drops cached boundary permits.
 */
public final class EnterLockdown {
    public record Request(String reason, String by) {
        public Request {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
        }
    }

    private final VaultStateRepository state;
    private final UnlockedKeys cache;
    private final UnlockSessions sessions;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final java.util.Optional<org.memoryvault.domain.port.BoundaryGuard> boundary;

    public EnterLockdown(VaultStateRepository state, UnlockedKeys cache, UnlockSessions sessions, AuditLog audit,
                         Transactions tx, Clock clock) {
        this(state, cache, sessions, audit, tx, clock, java.util.Optional.empty());
    }

    /** With the boundary guard whose cached permits lockdown must drop. */
    public EnterLockdown(VaultStateRepository state, UnlockedKeys cache, UnlockSessions sessions, AuditLog audit,
                         Transactions tx, Clock clock, java.util.Optional<org.memoryvault.domain.port.BoundaryGuard> boundary) {
        this.boundary = java.util.Objects.requireNonNull(boundary, "boundary");
        this.state = Objects.requireNonNull(state, "state");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the lockdown state; entering twice keeps the first reason and time. */
    public LockdownState execute(Request request) {
        Instant now = clock.instant();
        LockdownState result = tx.inTransaction(() -> {
            LockdownState current = state.lockdown();
            if (current.active()) return current;
            LockdownState entered = LockdownState.entered(now, request.reason(), request.by());
            state.setLockdown(entered);
            audit.append(AuditEvent.of(AuditEvent.LOCKDOWN_ENTER, now).with("reason", request.reason()).with("by", request.by()));
            return entered;
        });
        cache.forgetAll();
        sessions.destroyAll();
        boundary.ifPresent(org.memoryvault.domain.port.BoundaryGuard::forgetPermits);
        return result;
    }
}
