package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Re-keys a profile (docs/FORMAT.md §3, "Re-keying"): a fresh level 0-2 tier key at the next key
 * version, every live memory of the profile sealed again under it (a fresh content key, so a
 * content key or tier key taken before opens nothing sealed after), the slots whose secrets are at
 * hand wrapped around it, the other slots dropped (only when asked), and the profile's agent
 * principals revoked (their credentials hold the old tier keys). The owner key, and so levels 3-5's
 * public keys and the owner's seal key, stay.
 *
 * <p>Crash-safe and resumable: the new key is first recorded, sealed under the owner key, in its
 * own transaction; memories then move in batches, each its own transaction, so after a kill
 * every memory is at the old key version (opened by the old slots) or the new one (opened by the
 * recorded key); running the re-key again takes up the recorded key and finishes. The last
 * transaction is an owner ceremony: it moves any memory still at the old version (one stored
 * meanwhile), swaps the slots, sets the key version, revokes the principals and withdraws the
 * released keys. While a re-key is pending, recalls of the profile are refused.
 */
public final class RekeyProfile {
    /** What a finished re-key did. */
    public record Result(int keyVersion, long memories, List<Integer> slotsKept, List<Integer> slotsDropped,
                         List<String> principalsRevoked, boolean resumed, List<MemoryId> damaged) {
        public Result {
            damaged = List.copyOf(damaged);
            slotsKept = List.copyOf(slotsKept);
            slotsDropped = List.copyOf(slotsDropped);
            principalsRevoked = List.copyOf(principalsRevoked);
        }
    }

    /** The re-key's request: the profile, whether slots whose secrets are not at hand may be dropped, and the batch size. */
    public record Request(ProfileId profile, boolean dropOtherSlots, int batch) {
        public Request {
            Objects.requireNonNull(profile, "profile");
            if (batch < 1 || batch > 100_000) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a batch is 1 to 100,000 memories");
        }
    }

    private final ProfileRepository profiles;
    private final MemoryRepository memories;
    private final PrincipalRepository principals;
    private final ApprovalRepository approvals;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public RekeyProfile(ProfileRepository profiles, MemoryRepository memories, PrincipalRepository principals,
                        ApprovalRepository approvals, KeyAccess keys, OwnerProof owner, VaultStateRepository state, Sealer sealer,
                        AuditLog audit, Transactions tx, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.principals = Objects.requireNonNull(principals, "principals");
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How many memories a re-key looks at (every memory of the vault, in pages): the total of its progress. */
    public long toLookAt() {
        return memories.count();
    }

    /**
     * Runs (or resumes) the re-key; {@code progress} hears of every memory looked at. A slot whose
     * secret is not at hand refuses the re-key before anything is written, unless
     * {@code dropOtherSlots}; the owner's passphrase (or, without one, the key file) must be among them.
     */
    public Result execute(Request request, LongConsumer progress) {
        ProfileId id = request.profile();
        state.lockdown().refuseIfActive("re-keying a profile");
        Profile profile = keys.profile(id);
        if (profile.locks().isNone()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + id + " has no key tiers: run `vault profile upgrade "
                    + id + "` first");
        }
        if (!profiles.deviceSlots(id).isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "level 5 of profile " + id + " is bound to a device; re-keying a"
                    + " bound profile is not built yet (its device slots are tied to the key version)");
        }
        int from = profile.keyVersion();
        Optional<ProfileRepository.PendingRekey> found = profiles.pendingRekey(id);
        if (found.isPresent() && found.get().keyVersion() != from + 1) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the pending re-key of profile " + id + " is for key version "
                    + found.get().keyVersion() + " but the profile is at " + from, null);
        }
        Instant now = clock.instant();
        try (OwnedKey proven = owner.prove(id)) {
            DataKey old = proven.key();
            Optional<ProfileRepository.PendingRekey> pending = found;
            DataKey opened = null;
            if (pending.isPresent()) {
                try {
                    opened = sealer.openPendingKey(old, from + 1, pending.get().sealedKey());
                } catch (IntegrityException notOurs) {
                    pending = Optional.empty();
                    discard(id, from, notOurs);
                }
            }
            try (DataKey next = opened != null ? opened : sealer.withNewTierKey(old, from + 1)) {
                return run(request, profile, pending, old, next, now, progress);
            }
        }
    }

    /**
     * A pending row the owner key does not open was not written by this owner's re-key (planted, or
     * edited): with no memory moved under it, nothing depends on it, so it is discarded (audited);
     * with memories moved, their key is gone and only a backup brings them back.
     */
    private void discard(ProfileId id, int from, IntegrityException why) {
        if (anyAbove(id, from)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the pending re-key of profile " + id + " does not open with"
                    + " the owner key, and memories were moved under it: restore vault.db from a backup", why);
        }
        tx.run(() -> {
            profiles.finishRekey(id, from);
            audit.append(AuditEvent.of(AuditEvent.PROFILE_REKEY_DISCARD, clock.instant()).with("profile", id.value())
                    .with("key_version", (long) from + 1).with("reason", "the pending key does not open with the owner key"));
        });
    }

    private Result run(Request request, Profile profile, Optional<ProfileRepository.PendingRekey> pending, DataKey old, DataKey next,
                       Instant now, LongConsumer progress) {
        ProfileId id = profile.id();
        int from = profile.keyVersion();
        List<KeySlot> kept = keys.rewrapOpenedSlots(profile, next, now);
        Set<Integer> keptIds = kept.stream().map(KeySlot::slotId).collect(Collectors.toSet());
        List<KeySlot> others = profile.slots().stream().filter(s -> !keptIds.contains(s.slotId())).toList();
        if (profile.hasOwnerSlot() && kept.stream().noneMatch(s -> s.type().holdsOwnerKey())) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "re-keying profile " + id
                    + " needs the owner's passphrase given as a file (--passphrase-file), so its slot is kept");
        }
        if (kept.isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "no slot of profile " + id + " opens with the secrets"
                    + " given; give the key file or the passphrase");
        }
        if (!others.isEmpty() && !request.dropOtherSlots()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "re-keying profile " + id + " keeps only the slots whose"
                    + " secrets are at hand; these are not: " + describe(others) + ". Give their secrets, or pass"
                    + " --drop-other-slots and add them again afterwards (vault profile add-slot)");
        }
        if (pending.isEmpty() && anyAbove(id, from)) {
            // memories already at the next version, with no pending re-key to say under which key: a re-key's row was
            // removed midway; a new key would leave them unopenable for good, so nothing is started
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "profile " + id + " has memories sealed at a key version"
                    + " above its own, but no pending re-key holds their key (the rekeys row was removed): restore vault.db from"
                    + " a backup", null);
        }
        byte[] mine = pending.isPresent() ? pending.get().sealedKey() : sealer.sealPendingKey(old, next);
        if (pending.isEmpty()) {
            tx.run(() -> {
                profiles.startRekey(id, new ProfileRepository.PendingRekey(from + 1, mine, now));
                audit.append(AuditEvent.of(AuditEvent.PROFILE_REKEY_START, now).with("profile", id.value())
                        .with("key_version", (long) from + 1));
            });
        }
        Run run = new Run(profile, mine, old, next);
        long moved = moveInBatches(run, request.batch(), progress);
        TierLocks locks = sealer.locks(next, profile.locks().ownerEscrow().isPresent());
        List<String> revoked = new ArrayList<>();
        long[] stragglers = {0};
        owner.ceremony(old, () -> {
            // under the write lock, all as this run found it: a run paused (or stopped) while another finished the re-key, or
            // changed the slots, or began the next one, must not finish: it would roll the profile back
            run.requireStillOurs();
            requireSameSlots(profile);
            stragglers[0] = moveAll(run);         // a memory stored at the old version meanwhile moves too
            for (MemoryId m : idsOf(id)) approvals.withdrawReleases(m);
            for (PrincipalRecord p : principals.list()) {
                if (p.profile().equals(id) && principals.remove(p.name())) revoked.add(p.name());
            }
            for (KeySlot s : others) profiles.removeSlot(id, s.slotId());
            for (KeySlot s : kept) profiles.replaceSlot(id, s);
            profiles.updateLocks(id, locks);
            profiles.finishRekey(id, from + 1);
            audit.append(AuditEvent.of(AuditEvent.PROFILE_REKEY, clock.instant()).with("profile", id.value())
                    .with("key_version", (long) from + 1).with("memories", moved + stragglers[0])
                    .with("slots_kept", ids(kept)).with("slots_dropped", ids(others))
                    .with("principals_revoked", String.join(" ", revoked)).with("resumed", pending.isPresent())
                    .with("damaged", run.damaged.stream().map(MemoryId::toString).collect(Collectors.joining(" "))));
        });
        keys.forget(id);
        return new Result(from + 1, moved + stragglers[0], kept.stream().map(KeySlot::slotId).toList(),
                others.stream().map(KeySlot::slotId).toList(), revoked, pending.isPresent(), run.damaged);
    }

    /** The slots as the run found them (rewrapped from those): another process's add, remove or rewrap meanwhile refuses. */
    private void requireSameSlots(Profile before) {
        List<KeySlot> now = keys.profile(before.id()).slots();
        boolean same = now.size() == before.slots().size();
        for (int i = 0; same && i < now.size(); i++) {
            same = now.get(i).slotId() == before.slots().get(i).slotId()
                    && java.util.Arrays.equals(now.get(i).wrappedKey(), before.slots().get(i).wrappedKey());
        }
        if (!same) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "the slots of profile " + before.id() + " changed while it was"
                    + " being re-keyed; run `vault profile rekey " + before.id() + "` again");
        }
    }

    /** One run of a re-key: the profile at its old version, the pending row it works under, both keys, and what it found damaged. */
    private final class Run {
        final Profile profile;
        final byte[] sealedKey;
        final DataKey old;
        final DataKey next;
        final List<MemoryId> damaged = new ArrayList<>();

        Run(Profile profile, byte[] sealedKey, DataKey old, DataKey next) {
            this.profile = profile;
            this.sealedKey = sealedKey;
            this.old = old;
            this.next = next;
        }

        int from() { return profile.keyVersion(); }

        /** Inside a transaction: the profile still at the old version and the pending row still this run's. */
        void requireStillOurs() {
            Optional<ProfileRepository.PendingRekey> row = profiles.pendingRekey(profile.id());
            if (keys.profile(profile.id()).keyVersion() != from() || row.isEmpty()
                    || !java.util.Arrays.equals(row.get().sealedKey(), sealedKey)) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + profile.id() + " was re-keyed by another process"
                        + " meanwhile; this run stops without changing anything");
            }
        }
    }

    private static String describe(List<KeySlot> slots) {
        return slots.stream().map(s -> "slot " + s.slotId() + " (" + s.type().wireName() + ", " + s.label() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String ids(List<KeySlot> slots) {
        return slots.stream().map(s -> String.valueOf(s.slotId())).collect(Collectors.joining(" "));
    }

    /** Batches of the profile's live memories still at the old version, each batch its own transaction. */
    private long moveInBatches(Run run, int batch, LongConsumer progress) {
        long[] moved = {0};
        forEachPage(batch, page -> {
            List<Moved> sealed = page.stream().filter(m -> due(m, run)).flatMap(m -> reseal(m, run).stream()).toList();
            if (!sealed.isEmpty()) {
                tx.run(() -> {
                    run.requireStillOurs();
                    for (Moved s : sealed) {
                        if (memories.rekey(s.id, run.from(), run.next.keyVersion(), s.sealed.content(), s.sealed.commitment())) moved[0]++;
                    }
                });
            }
            progress.accept(page.size());
        });
        return moved[0];
    }

    /** Every live memory of the profile still at the old version, inside the caller's transaction. */
    private long moveAll(Run run) {
        long[] moved = {0};
        forEachPage(1000, page -> page.stream().filter(m -> due(m, run)).forEach(m -> reseal(m, run).ifPresent(s -> {
            if (memories.rekey(s.id, run.from(), run.next.keyVersion(), s.sealed.content(), s.sealed.commitment())) moved[0]++;
        })));
        return moved[0];
    }

    private List<MemoryId> idsOf(ProfileId id) {
        List<MemoryId> out = new ArrayList<>();
        forEachPage(1000, page -> page.stream().filter(m -> m.profile().equals(id)).forEach(m -> out.add(m.id())));
        return out;
    }

    /** Every memory of the vault, a page at a time, in id order. */
    private void forEachPage(int size, java.util.function.Consumer<List<Memory>> each) {
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, size);
            if (page.isEmpty()) return;
            each.accept(page);
            after = Optional.of(page.get(page.size() - 1).id());
        }
    }

    private boolean anyAbove(ProfileId id, int from) {
        boolean[] found = {false};
        forEachPage(1000, page -> found[0] |= page.stream().anyMatch(m -> m.profile().equals(id) && m.keyVersion() > from));
        return found[0];
    }

    private static boolean due(Memory m, Run run) {
        return m.profile().equals(run.profile.id()) && m.keyVersion() == run.from() && m.sealed().isPresent()
                && !run.damaged.contains(m.id());
    }

    private record Moved(MemoryId id, Sealer.Sealed sealed) {}

    /**
     * Opened with the old key, sealed under the new one with the new key version in its associated
     * data; a memory that does not open (damaged: it fails authentication) stays as it is, and is
     * reported, rather than stopping the re-key of every other one.
     */
    private Optional<Moved> reseal(Memory m, Run run) {
        if (m.sealed().get().format() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + m.id() + " is of format 1; run `vault profile upgrade "
                    + m.profile() + "` first");
        }
        AssociatedData ad = new AssociatedData(AssociatedData.FORMAT_VERSION, m.id(), m.classification(), m.profile(),
                run.next.keyVersion(), m.createdAt(), m.createdBy());
        TierLocks locks = keys.locks(m.profile());
        try (Plaintext p = sealer.open(run.old, m.associatedData(), m.sealed().get(), m.commitment())) {
            return Optional.of(new Moved(m.id(), sealer.seal(run.next, locks, ad, p)));
        } catch (IntegrityException damaged) {
            run.damaged.add(m.id());
            return Optional.empty();
        }
    }
}
