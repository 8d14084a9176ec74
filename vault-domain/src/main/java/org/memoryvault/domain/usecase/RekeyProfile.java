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
                         List<String> principalsRevoked, boolean resumed) {
        public Result {
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
        Optional<ProfileRepository.PendingRekey> pending = profiles.pendingRekey(id);
        if (pending.isPresent() && pending.get().keyVersion() != from + 1) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the pending re-key of profile " + id + " is for key version "
                    + pending.get().keyVersion() + " but the profile is at " + from, null);
        }
        Instant now = clock.instant();
        try (OwnedKey proven = owner.prove(id);
             DataKey next = pending.isPresent() ? sealer.openPendingKey(proven.key(), from + 1, pending.get().sealedKey())
                     : sealer.withNewTierKey(proven.key(), from + 1)) {
            DataKey old = proven.key();
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
            if (pending.isEmpty()) {
                byte[] sealedKey = sealer.sealPendingKey(old, next);
                tx.run(() -> {
                    profiles.startRekey(id, new ProfileRepository.PendingRekey(from + 1, sealedKey, now));
                    audit.append(AuditEvent.of(AuditEvent.PROFILE_REKEY_START, now).with("profile", id.value())
                            .with("key_version", (long) from + 1));
                });
            }
            long moved = moveInBatches(id, from, old, next, request.batch(), progress);
            TierLocks locks = sealer.locks(next, profile.locks().ownerEscrow().isPresent());
            List<String> revoked = new ArrayList<>();
            long[] stragglers = {0};
            owner.ceremony(old, () -> {
                // in the ceremony's write transaction: a memory stored at the old version meanwhile moves too
                stragglers[0] = moveAll(id, from, old, next);
                List<MemoryId> ofProfile = idsOf(id);
                for (MemoryId m : ofProfile) approvals.withdrawReleases(m);
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
                        .with("principals_revoked", String.join(" ", revoked)).with("resumed", pending.isPresent()));
            });
            keys.forget(id);
            return new Result(from + 1, moved + stragglers[0], kept.stream().map(KeySlot::slotId).toList(),
                    others.stream().map(KeySlot::slotId).toList(), revoked, pending.isPresent());
        }
    }

    private static String describe(List<KeySlot> slots) {
        return slots.stream().map(s -> "slot " + s.slotId() + " (" + s.type().wireName() + ", " + s.label() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String ids(List<KeySlot> slots) {
        return slots.stream().map(s -> String.valueOf(s.slotId())).collect(Collectors.joining(" "));
    }

    /** Batches of the profile's live memories still at {@code from}, each batch its own transaction. */
    private long moveInBatches(ProfileId id, int from, DataKey old, DataKey next, int batch, LongConsumer progress) {
        long moved = 0;
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, batch);
            if (page.isEmpty()) return moved;
            List<Memory> due = page.stream().filter(m -> due(m, id, from)).toList();
            if (!due.isEmpty()) {
                List<Moved> sealed = new ArrayList<>(due.size());
                for (Memory m : due) sealed.add(reseal(m, old, next));
                tx.run(() -> {
                    for (Moved s : sealed) memories.rekey(s.id, next.keyVersion(), s.sealed.content(), s.sealed.commitment());
                });
                moved += sealed.size();
            }
            progress.accept(page.size());
            after = Optional.of(page.get(page.size() - 1).id());
        }
    }

    /** Every live memory of the profile still at {@code from}, inside the caller's transaction. */
    private long moveAll(ProfileId id, int from, DataKey old, DataKey next) {
        long moved = 0;
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, 1000);
            if (page.isEmpty()) return moved;
            for (Memory m : page) {
                if (!due(m, id, from)) continue;
                Moved s = reseal(m, old, next);
                memories.rekey(s.id, next.keyVersion(), s.sealed.content(), s.sealed.commitment());
                moved++;
            }
            after = Optional.of(page.get(page.size() - 1).id());
        }
    }

    private List<MemoryId> idsOf(ProfileId id) {
        List<MemoryId> out = new ArrayList<>();
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, 1000);
            if (page.isEmpty()) return out;
            for (Memory m : page) if (m.profile().equals(id)) out.add(m.id());
            after = Optional.of(page.get(page.size() - 1).id());
        }
    }

    private static boolean due(Memory m, ProfileId id, int from) {
        return m.profile().equals(id) && m.keyVersion() == from && m.sealed().isPresent();
    }

    private record Moved(MemoryId id, Sealer.Sealed sealed) {}

    /** Opened with the old key, sealed under the new one with the new key version in its associated data. */
    private Moved reseal(Memory m, DataKey old, DataKey next) {
        if (m.sealed().get().format() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + m.id() + " is of format " + m.sealed().get().format()
                    + "; run `vault profile upgrade " + m.profile() + "` first");
        }
        AssociatedData ad = new AssociatedData(AssociatedData.FORMAT_VERSION, m.id(), m.classification(), m.profile(),
                next.keyVersion(), m.createdAt(), m.createdBy());
        TierLocks locks = keys.locks(m.profile());
        try (Plaintext p = sealer.open(old, m.associatedData(), m.sealed().get(), m.commitment())) {
            return new Moved(m.id(), sealer.seal(next, locks, ad, p));
        }
    }
}
