package org.memoryvault.domain.usecase;

import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.policy.VaultSettings;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.CommitmentOpening;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Principal;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.policy.Gate;
import org.memoryvault.domain.policy.GateDecision;
import org.memoryvault.domain.policy.RecallFacts;
import org.memoryvault.domain.policy.RecallPolicy;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Recalls a memory through the gates of ARCHITECTURE §3, in contract order. Every outcome is
 * audited: a grant in the same transaction as the recall's bookkeeping, a refusal on its own.
 *
 * <p>Security: the caller must close the returned plaintext.
 */
public final class RecallMemory {
    /**
     * {@code requester} is who asks, as authenticated (a name alone names nobody); with
     * {@code opening}, the granted recall also yields the memory's commitment opening (docs/PROOFS.md).
     */
    public record Request(MemoryId id, Requester requester, String justification, Optional<String> approvalId, boolean opening) {
        public Request(MemoryId id, Requester requester, String justification, Optional<String> approvalId) {
            this(id, requester, justification, approvalId, false);
        }

        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(requester, "requester");
            Objects.requireNonNull(justification, "justification");
            Objects.requireNonNull(approvalId, "approvalId");
            if (justification.isBlank()) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a recall needs a justification");
            }
            if (justification.length() > 4096) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "justification is longer than 4096 characters");
            }
        }
    }

    /** A granted recall, with the memory auditors' findings. The caller closes {@code plaintext} and {@code opening}. */
    public record Recalled(Plaintext plaintext, Memory memory, long auditIndex, List<String> warnings,
                           Optional<CommitmentOpening> opening) {
        public Recalled(Plaintext plaintext, Memory memory, long auditIndex, List<String> warnings) {
            this(plaintext, memory, auditIndex, warnings, Optional.empty());
        }

        public Recalled {
            warnings = List.copyOf(warnings);
            Objects.requireNonNull(opening, "opening");
        }
    }

    /** The gates' adapters, grouped so the constructor stays readable. */
    public record Gates(BoundaryGuard boundary, ApprovalGate approval, PresenceVerifier presence) {
        public Gates {
            Objects.requireNonNull(boundary, "boundary");
            Objects.requireNonNull(approval, "approval");
            Objects.requireNonNull(presence, "presence");
        }
    }

    private final MemoryRepository memories;
    private final VaultStateRepository state;
    private final Gates gates;
    private final KeyAccess keys;
    private final OwnerProof ownerProof;
    private final VaultSettings settings;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final List<MemoryAuditor> auditors;
    private final Optional<AnomalyWatch> anomaly;

    /** A recall with no memory auditors and no anomaly rule. */
    public RecallMemory(MemoryRepository memories, VaultStateRepository state, Gates gates,
                        KeyAccess keys, OwnerProof ownerProof, VaultSettings settings, Sealer sealer, AuditLog audit,
                        Transactions tx, Clock clock) {
        this(memories, state, gates, keys, ownerProof, settings, sealer, audit, tx, clock, List.of(), Optional.empty());
    }

    public RecallMemory(MemoryRepository memories, VaultStateRepository state, Gates gates,
                        KeyAccess keys, OwnerProof ownerProof, VaultSettings settings, Sealer sealer, AuditLog audit,
                        Transactions tx, Clock clock, List<MemoryAuditor> auditors, Optional<AnomalyWatch> anomaly) {
        this.auditors = List.copyOf(auditors);
        this.anomaly = Objects.requireNonNull(anomaly, "anomaly");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.state = Objects.requireNonNull(state, "state");
        this.gates = Objects.requireNonNull(gates, "gates");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Recalled execute(Request request) {
        try (OwnerKeyOfThisRecall proof = new OwnerKeyOfThisRecall()) {
            return execute(request, proof);
        }
    }

    private Recalled execute(Request request, OwnerKeyOfThisRecall proof) {
        proof.wantOpening = request.opening();
        Instant now = clock.instant();
        Requester who = request.requester();
        Principal requester = new Principal(who.name(), who.clearance());
        Optional<Memory> found = memories.find(request.id());
        if (found.isPresent() && keys.rekeyPending(found.get().profile())) {
            // memories are moving to the next key version, which no slot opens until the re-key's last transaction; the
            // vault's own state, not the requester's doing, so it is no refusal the anomaly rule counts, and nothing is spent
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + found.get().profile() + " is being re-keyed; recalls"
                    + " wait until it is finished (`vault profile rekey " + found.get().profile() + "` finishes a re-key that was stopped)");
        }
        RecallFacts facts = new RecallFacts() {
            @Override public boolean lockdownActive() { return state.lockdown().active(); }

            @Override public BoundaryGuard.Decision boundary(Memory m) { return gates.boundary().check(m.classification()); }

            @Override public ApprovalGate.Decision approval(Memory m) { return approve(m, request, proof, now); }

            @Override public PresenceVerifier.Decision presence(Memory m) { return askPresence(m, request, proof); }
        };
        GateDecision decision = RecallPolicy.evaluate(found, requester, facts, now, settings.ephemeralTtl());
        if (decision instanceof GateDecision.Refused refused) {
            Optional<String> lockdown = refuse(request, found, refused.gate(), refused.code(), refused.reason(), now);
            throw VaultException.of(refused.code(), refused.reason()
                    + lockdown.map(why -> "; this refusal put the vault in lockdown (" + why + ")").orElse(""));
        }
        if (decision instanceof GateDecision.Pending pending) {
            AuditEvent e = AuditEvent.of(AuditEvent.RECALL_PENDING, now).with("memory_id", request.id().toString())
                    .with("requester", who.name()).with("justification", request.justification())
                    .with("approval_id", pending.approvalId()).with("expires_at", pending.expiresAt().toString());
            tx.run(() -> audit.append(e));
            throw new ApprovalPendingException(ErrorCode.APPROVAL_PENDING, "approval " + pending.approvalId()
                    + " requested; retry with --approval " + pending.approvalId() + " before "
                            + pending.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                    pending.approvalId(), pending.expiresAt().toString());
        }
        Memory memory = found.orElseThrow();
        GateDecision.Granted granted = (GateDecision.Granted) decision;
        String approvedBy = granted.approvedBy();
        Plaintext plaintext;
        try {
            plaintext = open(memory, who, granted.approval(), proof);
        } catch (VaultException e) {
            refuse(request, found, Gate.DECRYPTION, e.code(), e.getMessage(), now);
            throw e;
        }
        List<String> warnings = new ArrayList<>();
        for (MemoryAuditor auditor : auditors) {
            MemoryAuditor.Verdict verdict;
            try {
                verdict = auditor.inspect(memory, plaintext);
            } catch (RuntimeException e) {
                plaintext.close();
                String reason = "memory auditor " + auditor.name() + " failed, so delivery is refused";
                refuse(request, found, Gate.AUDITORS, ErrorCode.ACCESS_AUDITOR, reason, now);
                throw new AccessRefusedException(ErrorCode.ACCESS_AUDITOR, reason);
            }
            if (verdict instanceof MemoryAuditor.Refuse r) {
                plaintext.close();
                String reason = "memory auditor " + auditor.name() + " refused delivery: " + r.reason();
                refuse(request, found, Gate.AUDITORS, ErrorCode.ACCESS_AUDITOR, reason, now);
                throw new AccessRefusedException(ErrorCode.ACCESS_AUDITOR, reason);
            }
            if (verdict instanceof MemoryAuditor.Warn w) w.findings().forEach(f -> warnings.add(auditor.name() + ": " + f));
        }
        try {
            long index = tx.inTransaction(() -> {
                if (state.lockdown().active()) throw new LockdownMeanwhile();   // entered while the gates were asked
                Optional<ApprovalGate.Approved> approval = granted.approval();
                if (approval.isPresent() && !gates.approval().spend(approval.get())) {
                    throw new Meanwhile(Gate.APPROVAL, ErrorCode.ACCESS_APPROVAL, "approval "
                            + approval.get().approvalId().orElse("") + " was already used or expired meanwhile");
                }
                if (!memories.recordRecall(memory.id(), now, requester.name(), request.justification())) {
                    Memory current = memories.find(memory.id()).orElseThrow();          // another process came first
                    if (current.isTombstoned()) {
                        throw new Meanwhile(Gate.EXISTENCE, ErrorCode.ACCESS_TOMBSTONED, "the memory was tombstoned during the recall");
                    }
                    throw new Meanwhile(Gate.COOLDOWN, ErrorCode.ACCESS_COOLDOWN, "cooldown: recalled meanwhile; next recall allowed at "
                            + current.policy().cooldown().nextAllowed(current.lastRecalledAt().orElse(now)));
                }
                AuditEvent e = AuditEvent.of(AuditEvent.RECALL_GRANTED, now).with("memory_id", memory.id().toString())
                        .with("classification", memory.classification().level()).with("requester", requester.name())
                        .with("justification", request.justification());
                if (!approvedBy.isEmpty()) e = e.with("approved_by", approvedBy);
                if (!warnings.isEmpty()) e = e.with("auditor_warnings", (long) warnings.size());
                return audit.append(e);
            });
            return new Recalled(plaintext, memory.withLastRecall(now), index, warnings, proof.takeOpening());
        } catch (LockdownMeanwhile e) {
            plaintext.close();
            String reason = "the vault entered lockdown during the recall";
            refuse(request, found, Gate.LOCKDOWN, ErrorCode.ACCESS_LOCKDOWN, reason, now);
            throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, reason);
        } catch (Meanwhile e) {
            plaintext.close();
            refuse(request, found, e.gate, e.code, e.reason, now);
            throw VaultException.of(e.code, e.reason);
        } catch (RuntimeException e) {
            plaintext.close();
            throw e;
        }
    }

    /** Signals, inside the grant transaction, that a tombstone or another recall came after the gates were passed. */
    private static final class Meanwhile extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Gate gate;
        private final transient ErrorCode code;
        private final String reason;

        Meanwhile(Gate gate, ErrorCode code, String reason) {
            super(null, null, false, false);
            this.gate = gate;
            this.code = code;
            this.reason = reason;
        }
    }

    /**
     * The human-approval gate for this requester. The owner (no agent credential) approves by
     * proving the owner's secret now; an agent's request goes to the configured gate, and a
     * terminal's answer (the owner's passphrase) is proved here, so a bare "yes" approves nothing.
     */
    private ApprovalGate.Decision approve(Memory m, Request request, OwnerKeyOfThisRecall proof, Instant now) {
        if (request.requester() instanceof Requester.Owner) {
            try {
                proof.key = ownerProof.ownerKey(m.profile()).key();
                return new ApprovalGate.Approved(Requester.OWNER_NAME);
            } catch (VaultException e) {
                return new ApprovalGate.Denied(e.getMessage());
            }
        }
        ApprovalGate.Decision d = gates.approval().decide(new ApprovalGate.Request(m, request.requester().name(),
                request.justification(), request.approvalId(), now));
        if (d instanceof ApprovalGate.Approved a && a.ownerSecret().isPresent()) {
            try (SlotSecret secret = a.ownerSecret().get()) {
                proof.owned = ownerProof.ownerKeyFrom(m.profile(), secret);
                proof.key = proof.owned.key();
            } catch (VaultException e) {
                return new ApprovalGate.Denied("the secret typed at the terminal is not the owner's: " + e.getMessage());
            }
        }
        return d;
    }

    /**
     * The presence gate: the owner's token secrets are sealed under the vault owner's key, which an
     * owner's recall of level 5 has already proved (the approval gate) or proves now for a memory of
     * another profile. An agent's request carries no owner key, so its verifier refuses it.
     */
    private PresenceVerifier.Decision askPresence(Memory m, Request request, OwnerKeyOfThisRecall proof) {
        Optional<DataKey> owner = Optional.empty();
        if (request.requester() instanceof Requester.Owner) {
            try {
                ProfileId vaultOwner = ownerProof.ownerProfile();
                DataKey known = proof.key;
                owner = Optional.of(known != null && m.profile().equals(vaultOwner) ? known : ownerProof.ownerKey(vaultOwner).key());
            } catch (VaultException e) {
                return new PresenceVerifier.Decision(false, e.getMessage());
            }
        }
        return gates.presence().verify(new PresenceVerifier.Request("recall of memory " + m.id() + " (level "
                + m.classification().level() + ")", owner));
    }

    /** The owner's key this recall obtained, if any; closes the one it owns. */
    private static final class OwnerKeyOfThisRecall implements AutoCloseable {
        @org.jspecify.annotations.Nullable DataKey key;
        @org.jspecify.annotations.Nullable OwnedKey owned;
        boolean wantOpening;
        @org.jspecify.annotations.Nullable CommitmentOpening opening;

        /** The opening, now the caller's to close. */
        Optional<CommitmentOpening> takeOpening() {
            Optional<CommitmentOpening> o = Optional.ofNullable(opening);
            opening = null;
            return o;
        }

        @Override public void close() {
            if (owned != null) owned.close();
            if (opening != null) opening.close();
        }
    }

    /** Signals, inside the grant transaction, that lockdown began after the gates were passed. */
    private static final class LockdownMeanwhile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LockdownMeanwhile() { super(null, null, false, false); }
    }

    private Plaintext open(Memory memory, Requester who, Optional<ApprovalGate.Approved> approval, OwnerKeyOfThisRecall proof) {
        if (memory.sealed().isEmpty()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "memory " + memory.id() + " has no ciphertext", null);
        }
        AssociatedData ad = memory.associatedData();
        if (memory.classification().level() > 2) {
            Optional<byte[]> release = approval.flatMap(ApprovalGate.Approved::release);
            if (release.isPresent() && who instanceof Requester.Agent agent) {
                if (proof.wantOpening) {
                    throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "the opening of a level-"
                            + memory.classification().level() + " memory is the owner's to take, not an agent's");
                }
                return sealer.openReleased(agent.key(), release.get(), ad, memory.sealed().get(), memory.commitment());
            }
            if (proof.key == null) {
                throw new AccessRefusedException(ErrorCode.ACCESS_APPROVAL, "no key was released for memory " + memory.id());
            }
            if (memory.classification() == Classification.BLACK && keys.profile(memory.profile()).locks().level5Bound()) {
                // level 5 bound to a device: the owner key alone does not open it (docs/FORMAT.md §3)
                try (OwnedKey bound = keys.level5Key(memory.profile(), proof.key, Optional.empty())) {
                    return openWith(bound.key(), ad, memory, proof);
                }
            }
            return openWith(proof.key, ad, memory, proof);
        }
        DataKey key = who instanceof Requester.Agent agent ? agent.key() : keys.dataKey(memory.profile()).key();
        if (key.keyVersion() < memory.keyVersion() && !(who instanceof Requester.Agent)) {
            keys.forget(memory.profile());       // re-keyed by another process since this one took its key: take it again
            key = keys.dataKey(memory.profile()).key();
        }
        if (key.keyVersion() != memory.keyVersion()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_WRONG_KEY, "memory " + memory.id() + " is sealed under key version "
                    + memory.keyVersion() + " but the key is of version " + key.keyVersion(), null);
        }
        return openWith(key, ad, memory, proof);
    }

    /** Opens the memory with {@code key}, and takes its commitment's opening too when the request asked for it. */
    private Plaintext openWith(DataKey key, AssociatedData ad, Memory memory, OwnerKeyOfThisRecall proof) {
        Plaintext p = sealer.open(key, ad, memory.sealed().get(), memory.commitment());
        if (proof.wantOpening) {
            try {
                proof.opening = new CommitmentOpening(memory.id(), sealer.commitKey(key, ad, memory.sealed().get(), memory.commitment()));
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
        }
        return p;
    }

    /** Audits the refusal and lets the anomaly rule count it; returns the lockdown reason if it put the vault in lockdown. */
    private Optional<String> refuse(Request request, Optional<Memory> found, Gate gate, ErrorCode code, String reason, Instant now) {
        AuditEvent e = AuditEvent.of(AuditEvent.RECALL_REFUSED, now).with("memory_id", request.id().toString())
                .with("requester", request.requester().name()).with("justification", request.justification())
                .with("gate", gate.name().toLowerCase(java.util.Locale.ROOT)).with("code", code.name()).with("reason", reason);
        if (found.isPresent()) e = e.with("classification", found.get().classification().level());
        AuditEvent event = e;
        tx.run(() -> audit.append(event));
        if (gate == Gate.LOCKDOWN || anomaly.isEmpty()) return Optional.empty();
        return anomaly.get().afterRefusal(request.requester().name());
    }
}
