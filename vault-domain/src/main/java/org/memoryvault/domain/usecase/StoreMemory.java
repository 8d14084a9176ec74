package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Stores memories: seals each under its profile's data key with the memory's fields bound as
 * associated data, and commits the row and its audit event together. {@link #execute} is one
 * durable transaction per memory; {@link #executeAll} stores a batch in one transaction.
 *
 * <p>Security: refused while the vault is in lockdown. The request's plaintext is not closed here;
 * its owner closes it.
 */
public final class StoreMemory {
    /** {@code requester} is who stores (its name becomes {@code created_by}); its clearance caps the level. */
    public record Request(Plaintext content, Classification classification, ProfileId profile, AccessPolicy policy,
                          Metadata metadata, List<String> intentRefs, Requester requester, Optional<Origin> origin) {
        public Request(Plaintext content, Classification classification, ProfileId profile, AccessPolicy policy,
                       Metadata metadata, List<String> intentRefs, Requester requester) {
            this(content, classification, profile, policy, metadata, intentRefs, requester, Optional.empty());
        }

        public Request {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(metadata, "metadata");
            intentRefs = List.copyOf(intentRefs);
            Objects.requireNonNull(requester, "requester");
            for (String ref : intentRefs) {
                if (ref.isBlank() || ref.length() > 256) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an intent reference must be 1-256 characters");
                }
            }
        }
    }

    /**
     * A memory brought over from elsewhere (an import): it keeps its id, creation time (to the
     * millisecond) and author instead of new ones, and its store event names where it came from.
     */
    public record Origin(MemoryId id, Instant createdAt, String createdBy, String source) {
        public Origin {
            Objects.requireNonNull(id, "id");
            createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
            Objects.requireNonNull(createdBy, "createdBy");
            Objects.requireNonNull(source, "source");
        }
    }

    public record Stored(MemoryId id, long auditIndex) {}

    private final MemoryRepository memories;
    private final VaultStateRepository state;
    private final KeyAccess keys;
    private final VaultSettings settings;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final RandomGenerator random;

    public StoreMemory(MemoryRepository memories, VaultStateRepository state, KeyAccess keys, VaultSettings settings,
                       Sealer sealer, AuditLog audit, Transactions tx, Clock clock, RandomGenerator random) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.state = Objects.requireNonNull(state, "state");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Stored execute(Request request) {
        return executeAll(List.of(request)).get(0);
    }

    /** Stores all or none, in one transaction. */
    public List<Stored> executeAll(List<Request> requests) {
        try {
            return store(requests);
        } catch (LocksChanged e) {
            keys.forgetLocks(e.profile);         // level 5 was bound meanwhile (by another process): seal again, once
            if (e.keyVersion) keys.forget(e.profile);      // re-keyed meanwhile: the key this process held is of the old version
            try {
                return store(requests);
            } catch (LocksChanged again) {
                throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "profile " + again.profile
                        + " was re-keyed: the key at hand is of an older key version (an agent's credential is revoked by a re-key;"
                        + " enrol it again)");
            }
        }
    }

    private List<Stored> store(List<Request> requests) {
        if (state.lockdown().active()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown; nothing can be stored");
        }
        List<Memory> sealed = new ArrayList<>(requests.size());
        List<TierLocks> used = new ArrayList<>(requests.size());
        for (Request r : requests) {
            TierLocks locks = r.classification().level() > 2 ? keys.locks(r.profile()) : TierLocks.NONE;
            used.add(locks);
            sealed.add(seal(r, locks));
        }
        List<AuditEvent> events = new ArrayList<>(sealed.size());
        for (int i = 0; i < sealed.size(); i++) {
            Memory m = sealed.get(i);
            Optional<Origin> origin = requests.get(i).origin();
            AuditEvent e = AuditEvent.of(AuditEvent.STORE, origin.isPresent() ? clock.instant() : m.createdAt())
                    .with("memory_id", m.id().toString()).with("classification", m.classification().level())
                    .with("profile", m.profile().value()).with("key_version", m.keyVersion())
                    .with("created_by", m.createdBy());
            // the keyed commitment (FORMAT.md §5): an existence proof (PROOFS.md) shows it was logged, revealing nothing of the content
            if (!m.commitment().matches(ContentCommitment.SHREDDED)) e = e.with("commitment", m.commitment().hex());
            events.add(origin.isPresent() ? e.with("imported", origin.get().source()) : e);
        }
        return tx.inTransaction(() -> {
            if (state.lockdown().active()) {           // entered while the batch was being sealed
                throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault entered lockdown; nothing was stored");
            }
            for (int i = 0; i < sealed.size(); i++) {
                Memory m = sealed.get(i);
                org.memoryvault.domain.model.Profile current = keys.profile(m.profile());
                // sealed under the profile's key version of now: a re-key (FORMAT.md §3) finished by another process since
                // this process took its key would leave this memory under a version no slot opens any more
                if (current.keyVersion() != m.keyVersion()) throw new LocksChanged(m.profile(), true);
                // the public keys sealed to must still be the profile's: a binding of level 5 (FORMAT.md §3) replaces
                // pk_5, and a memory sealed to the old one would open with the owner key alone
                if (m.classification().level() > 2
                        && !java.util.Arrays.equals(current.locks().publicKeys(), used.get(i).publicKeys())) {
                    throw new LocksChanged(m.profile(), false);
                }
                memories.insert(m);
            }
            List<Long> indexes = audit.appendAll(events);
            List<Stored> out = new ArrayList<>(sealed.size());
            for (int i = 0; i < sealed.size(); i++) out.add(new Stored(sealed.get(i).id(), indexes.get(i)));
            return out;
        });
    }

    private Memory seal(Request r, TierLocks locks) {
        long max = settings.maxContentBytes();
        if (r.content().length() > max) {
            throw new InvalidInputException(ErrorCode.INPUT_CONTENT_TOO_LARGE,
                    "content is " + r.content().length() + " bytes; the maximum is " + max);
        }
        Requester who = r.requester();
        if (!who.clearance().covers(r.classification())) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "principal " + who.name() + " has clearance "
                    + who.clearance().level() + " and cannot store at level " + r.classification().level());
        }
        DataKey dek;
        if (who instanceof Requester.Agent agent) {
            if (!agent.principal().profile().equals(r.profile())) {
                throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "principal " + who.name()
                        + " belongs to profile " + agent.principal().profile() + ", not " + r.profile());
            }
            dek = agent.key();
        } else {
            dek = keys.dataKey(r.profile()).key();
        }
        Instant now = r.origin().map(Origin::createdAt).orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.MILLIS));
        MemoryId id = r.origin().map(Origin::id).orElseGet(() -> MemoryId.generate(random));
        String author = r.origin().map(Origin::createdBy).orElse(who.name());
        AssociatedData ad = new AssociatedData(AssociatedData.FORMAT_VERSION, id, r.classification(), r.profile(),
                dek.keyVersion(), now, author);
        Sealer.Sealed sealed = sealer.seal(dek, locks, ad, r.content());
        return new Memory(id, now, author, r.classification(), r.profile(), dek.keyVersion(), r.policy(),
                r.metadata(), r.intentRefs(), sealed.commitment(), Optional.of(sealed.content()), Optional.empty(),
                Optional.empty());
    }

    /** Signals, inside the store's transaction, that the profile's public keys changed after the memory was sealed. */
    private static final class LocksChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient org.memoryvault.domain.model.ProfileId profile;

        private final boolean keyVersion;

        LocksChanged(org.memoryvault.domain.model.ProfileId profile, boolean keyVersion) {
            super("the profile's public keys or key version changed meanwhile", null, false, false);
            this.profile = profile;
            this.keyVersion = keyVersion;
        }
    }
}
