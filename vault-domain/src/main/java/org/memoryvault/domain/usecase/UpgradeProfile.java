package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;

/**
 * Moves a profile from before key tiers (format 1) to key tiers, in place, with one owner unlock:
 * its old data key becomes the level-2 tier key (so key-file slots keep working), a fresh owner
 * key is made and wrapped into the passphrase slot the owner proved, the public locks are written,
 * and every memory of format 1 is re-sealed under its own content key. All of it is one
 * transaction: a crash leaves the profile as it was.
 *
 * <p>Security: until this runs, a key-file holder can open every level of the profile's format-1
 * memories; after it, only levels 0-2. Copies of the database made before still hold the old form.
 */
public final class UpgradeProfile {
    private static final int PAGE = 500;

    public record Result(int resealed, int slotsRewrapped) {}

    private final ProfileRepository profiles;
    private final MemoryRepository memories;
    private final KeyAccess keys;
    private final OwnerProof ownerProof;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Clock clock;

    public UpgradeProfile(ProfileRepository profiles, MemoryRepository memories, KeyAccess keys, OwnerProof ownerProof,
                          VaultStateRepository state, Sealer sealer, AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Result execute(ProfileId id) {
        state.lockdown().refuseIfActive("upgrading a profile");
        Profile profile = keys.profile(id);
        if (!profile.locks().isNone()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + id + " already uses key tiers");
        }
        Instant now = clock.instant();
        boolean hasPassphrase = profile.hasOwnerSlot();
        try (OwnedKey proven = ownerProof.prove(id)) {
            DataKey old = proven.key();
            if (old.isOwner()) return repairLocks(id, old, now);
            return upgrade(profile, old, hasPassphrase, now);
        }
    }

    /**
     * A profile whose slots already hold the owner key but whose public keys are gone from vault.db
     * (removed outside the vault): they are derived again from the owner key; no memory changes.
     */
    private Result repairLocks(ProfileId id, DataKey owner, Instant now) {
        if (!profiles.deviceSlots(id).isEmpty()) {
            // level 5 was bound to a device: its public key derives from the owner key and the device secret, so
            // deriving it again from the owner key alone would quietly undo the binding (FORMAT.md §3)
            throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the public keys of profile "
                    + id + " are missing from vault.db, and its level 5 is bound to a device, so they cannot be derived"
                    + " again from the owner key: restore vault.db from a backup", null);
        }
        TierLocks locks = sealer.locks(owner, false);
        ownerProof.ceremony(owner, () -> {
            profiles.updateLocks(id, locks);
            audit.append(AuditEvent.of(AuditEvent.PROFILE_UPGRADE, now).with("profile", id.value())
                    .with("resealed", 0L).with("slots_rewrapped", 0L).with("repaired_public_keys", true));
        });
        keys.forgetLocks(id);
        return new Result(0, 0);
    }

    private Result upgrade(Profile profile, DataKey old, boolean hasPassphrase, Instant now) {
        ProfileId id = profile.id();
        try (DataKey owner = sealer.withNewOwnerKey(old)) {
            TierLocks locks = sealer.locks(owner, !hasPassphrase);
            List<KeySlot> rewrapped = keys.rewrapOpenedOwnerSlots(profile, owner, now);
            if (hasPassphrase && rewrapped.isEmpty()) {
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "upgrading profile " + id
                        + " needs the passphrase of one of its passphrase slots");
            }
            List<Resealed> resealed = reseal(id, old, owner, locks);
            ownerProof.ceremony(owner, () -> {
                profiles.updateLocks(id, locks);
                for (KeySlot slot : rewrapped) profiles.replaceSlot(id, slot);
                for (Resealed r : resealed) memories.reseal(r.id(), r.sealed().content(), r.sealed().commitment());
                audit.append(AuditEvent.of(AuditEvent.PROFILE_UPGRADE, now).with("profile", id.value())
                        .with("resealed", (long) resealed.size()).with("slots_rewrapped", (long) rewrapped.size()));
            });
            keys.forget(id);
            return new Result(resealed.size(), rewrapped.size());
        }
    }

    private record Resealed(MemoryId id, Sealer.Sealed sealed) {}

    /** Every format-1 memory of the profile, opened with the old key and sealed again under key tiers. */
    private List<Resealed> reseal(ProfileId id, DataKey old, DataKey owner, TierLocks locks) {
        List<Resealed> out = new ArrayList<>();
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, PAGE);
            if (page.isEmpty()) break;
            for (Memory m : page) {
                if (!m.profile().equals(id) || m.sealed().isEmpty()) continue;
                if (m.sealed().get().format() != 1) {
                    if (m.classification().level() <= 2) continue;     // sealed under T2, which the upgrade keeps
                    // a level 3-5 key-tier memory in a profile without public keys: they were removed outside the vault,
                    // and a new owner key would make such memories unreadable for good
                    throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "profile " + id
                            + " holds key-tier memories but its public keys are missing from vault.db: restore them from a "
                            + "backup; upgrading would lose those memories", null);
                }
                AssociatedData next = new AssociatedData(AssociatedData.FORMAT_VERSION, m.id(), m.classification(), m.profile(),
                        m.keyVersion(), m.createdAt(), m.createdBy());
                try (Plaintext p = sealer.open(old, m.associatedData(), m.sealed().get(), m.commitment())) {
                    out.add(new Resealed(m.id(), sealer.seal(owner, locks, next, p)));
                }
            }
            after = Optional.of(page.get(page.size() - 1).id());
        }
        return out;
    }
}
