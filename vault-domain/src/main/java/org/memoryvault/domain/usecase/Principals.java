package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.RateLimit;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;

/**
 * Agent principals: the owner adds, rotates and removes them (each an owner ceremony: the owner's
 * secret is proved now, and lockdown refuses it); an agent authenticates with its credential and
 * then acts as that principal, within its clearance and rate.
 *
 * <p>Security: a credential is 32 random bytes the caller generated and keeps (a 0600 file); only
 * what {@link Sealer#enroll} derives from it is stored. A wrong or removed credential is
 * {@code ACCESS_WRONG_SECRET}, audited; an exceeded rate is {@code ACCESS_RATE}, audited.
 */
public final class Principals {
    private final PrincipalRepository principals;
    private final OwnerProof ownerProof;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public Principals(PrincipalRepository principals, OwnerProof ownerProof, VaultStateRepository state, Sealer sealer,
                      AuditLog audit, Transactions tx, Clock clock) {
        this.principals = Objects.requireNonNull(principals, "principals");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a principal of the owner's profile whose credential is {@code credential} (caller keeps and closes it). */
    public PrincipalRecord add(String name, Classification clearance, Optional<RateLimit> rate, SlotSecret credential) {
        state.lockdown().refuseIfActive("adding a principal");
        if (principals.find(name).isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a principal named " + name + " exists");
        }
        try (OwnedKey proven = ownerProof.proveVaultOwnerKey()) {
            DataKey owner = proven.key();
            PrincipalRecord p = enroll(owner, name, clearance, rate, credential);
            ownerProof.ceremony(owner, () -> {
                principals.insert(p);
                audit.append(AuditEvent.of(AuditEvent.PRINCIPAL_ADD, p.createdAt()).with("principal", name)
                        .with("clearance", clearance.level()).with("profile", p.profile().value())
                        .with("rate", rate.map(RateLimit::text).orElse("none")));
            });
            return p;
        }
    }

    /** Gives the principal a new credential; the old one stops working. */
    public PrincipalRecord rotate(String name, SlotSecret credential) {
        state.lockdown().refuseIfActive("rotating a principal's credential");
        PrincipalRecord old = find(name);
        try (OwnedKey proven = ownerProof.proveVaultOwnerKey()) {
            DataKey owner = proven.key();
            PrincipalRecord p = enroll(owner, name, old.clearance(), old.rate(), credential);
            ownerProof.ceremony(owner, () -> {
                principals.replace(p);
                audit.append(AuditEvent.of(AuditEvent.PRINCIPAL_ROTATE, p.createdAt()).with("principal", name));
            });
            return p;
        }
    }

    public void remove(String name) {
        state.lockdown().refuseIfActive("removing a principal");
        find(name);
        try (OwnedKey proven = ownerProof.proveVaultOwner()) {
            Instant now = clock.instant();
            ownerProof.ceremony(proven.key(), () -> {
                principals.remove(name);
                audit.append(AuditEvent.of(AuditEvent.PRINCIPAL_REMOVE, now).with("principal", name));
            });
        }
    }

    public List<PrincipalRecord> list() { return principals.list(); }

    /**
     * The principal whose credential this is, with what the credential unlocks (the caller closes
     * the returned requester's key), after its rate limit let one more request through.
     */
    public Requester.Agent authenticate(SlotSecret credential) {
        Instant now = clock.instant();
        Optional<PrincipalRecord> found = principals.findByCredential(sealer.credentialId(credential));
        if (found.isEmpty()) {
            refused("unknown", ErrorCode.ACCESS_WRONG_SECRET, now);
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET,
                    "the principal credential is not (or no longer) known to this vault");
        }
        PrincipalRecord p = found.get();
        DataKey key;
        try {
            key = sealer.authenticate(p, credential);
        } catch (VaultException e) {
            refused(p.name(), e.code(), now);
            throw e;
        }
        // the time is read inside the transaction: grouped transactions run in queue order, so a time read
        // before queueing could be older than the window another caller already started
        if (p.rate().isPresent() && !tx.inTransaction(() -> principals.admit(p.name(), clock.instant(), p.rate().get()))) {
            key.close();
            refused(p.name(), ErrorCode.ACCESS_RATE, now);
            throw new AccessRefusedException(ErrorCode.ACCESS_RATE, "principal " + p.name() + " exceeded its rate of "
                    + p.rate().get().text());
        }
        return new Requester.Agent(p, key);
    }

    private void refused(String name, ErrorCode code, Instant now) {
        tx.run(() -> audit.append(AuditEvent.of(AuditEvent.PRINCIPAL_REFUSED, now).with("principal", name)
                .with("code", code.name())));
    }

    private PrincipalRecord find(String name) {
        return principals.find(name).orElseThrow(() ->
                new NotFoundException(ErrorCode.NOT_FOUND_PRINCIPAL, "no principal named " + name));
    }

    /** The new principal's row, derived from its credential under the owner key. */
    private PrincipalRecord enroll(DataKey owner, String name, Classification clearance, Optional<RateLimit> rate,
                                   SlotSecret credential) {
        Sealer.Enrollment e = sealer.enroll(owner, name, clearance, credential);
        return new PrincipalRecord(name, owner.profile(), clearance, owner.keyVersion(), e.credentialId(), e.boxPublicKey(),
                e.wrappedKey(), e.ownerMac(), rate, clock.instant());
    }
}
