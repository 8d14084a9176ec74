package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Leaves lockdown. The owner proves a secret now by unwrapping a profile's data key from a key
 * slot (not a cached unlock, not a trial decryption of some memory). A failed attempt is audited.
 */
public final class ExitLockdown {
    /**
     * Which secret lifts lockdown is the use case's rule, not the caller's: a secret of an owner slot
     * (a passphrase), or of any slot where the owner chose {@code lockdown.exit-secret = any}
     * ({@link org.memoryvault.domain.policy.VaultSettings#lockdownExitByAnySecret()}).
     */
    public record Request(ProfileId profile, String by) {
        public Request {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(by, "by");
        }
    }

    private final VaultStateRepository state;
    private final OwnerProof owner;
    private final PresenceVerifier presence;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public ExitLockdown(VaultStateRepository state, OwnerProof owner, PresenceVerifier presence, AuditLog audit, Transactions tx,
                        Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void execute(Request request) {
        Instant now = clock.instant();
        if (!state.lockdown().active()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "the vault is not in lockdown");
        }
        OwnedKey proof;
        try {
            proof = owner.proveToLeaveLockdown(request.profile());
        } catch (VaultException e) {
            tx.run(() -> audit.append(AuditEvent.of(AuditEvent.LOCKDOWN_EXIT_REFUSED, now).with("by", request.by())
                    .with("profile", request.profile().value()).with("code", e.code().name())));
            throw e;
        }
        try (proof) {
            if (presence.anyEnrolled()) {
                // with a token enrolled, the owner is also present with it (its secret opens with the owner key only)
                Optional<DataKey> ownerKey = proof.isOwner() ? Optional.of(proof.key()) : Optional.empty();
                PresenceVerifier.Decision d = presence.verify(new PresenceVerifier.Request("leaving lockdown", ownerKey));
                if (!d.present()) {
                    tx.run(() -> audit.append(AuditEvent.of(AuditEvent.LOCKDOWN_EXIT_REFUSED, now).with("by", request.by())
                            .with("profile", request.profile().value()).with("code", ErrorCode.ACCESS_TOKEN.name())));
                    throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "presence token: " + d.reason());
                }
            }
            owner.ceremony(proof.key(), () -> {
                state.setLockdown(LockdownState.left(now, request.by()));
                audit.append(AuditEvent.of(AuditEvent.LOCKDOWN_EXIT, now).with("by", request.by())
                        .with("profile", request.profile().value()));
            });
        }
    }
}
