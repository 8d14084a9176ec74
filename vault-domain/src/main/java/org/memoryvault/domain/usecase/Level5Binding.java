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
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Binds a profile's level 5 to devices (docs/FORMAT.md §3, "Level 5 bound to a device"): from then
 * on the level-5 key pair derives from the owner key and a random device secret together, and the
 * device secret is stored only wrapped in device slots (a TPM, a FIDO2 key's hmac-secret, a
 * YubiKey, ...) and under a recovery code. So the owner's passphrase alone no longer opens level 5.
 *
 * <p>The first binding makes the device secret, replaces level 5's public key, and re-seals every
 * level-5 memory of the profile, all in one owner ceremony (so no memory is left sealed to the old
 * key). Binding another device needs the device secret: from a device that opens, or from the
 * recovery code. Each is an owner ceremony (the owner's passphrase now), refused during lockdown.
 */
public final class Level5Binding {
    private static final int PAGE = 500;

    /**
     * A device to bind. {@code recovery}: the first binding's recovery-code slot (required then,
     * refused after); {@code recoveryCode}: the code that opens the device secret when no bound
     * device is at hand. The use case closes no secret; their creator does.
     */
    public record Request(ProfileId profile, NewSlot device, Optional<NewSlot> recovery, Optional<SlotSecret> recoveryCode) {
        public Request {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(recovery, "recovery");
            Objects.requireNonNull(recoveryCode, "recoveryCode");
        }
    }

    /** The device slot made, the recovery slot (first binding only), and how many memories were re-sealed. */
    public record Result(KeySlot device, Optional<KeySlot> recovery, long resealed) {}

    private final ProfileRepository profiles;
    private final MemoryRepository memories;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Clock clock;

    public Level5Binding(ProfileRepository profiles, MemoryRepository memories, KeyAccess keys, OwnerProof owner,
                         VaultStateRepository state, Sealer sealer, AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The profile's device slots (none while level 5 is not bound). */
    public List<KeySlot> slots(ProfileId id) {
        keys.profile(id);
        return profiles.deviceSlots(id);
    }

    public Result bind(Request request) {
        state.lockdown().refuseIfActive("binding level 5 to a device");
        Profile profile = keys.profile(request.profile());
        ProfileId id = profile.id();
        if (profile.locks().isNone()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "profile " + id
                    + " was made before key tiers; run `vault profile upgrade " + id + "` first");
        }
        boolean first = !profile.locks().level5Bound();
        if (first && request.recovery().isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the first binding of level 5 needs a recovery code slot");
        }
        if (!first && request.recovery().isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "level 5 of profile " + id + " is bound already;"
                    + " another device is bound with the device secret from a bound device or the recovery code");
        }
        Instant now = clock.instant();
        try (OwnedKey proven = owner.prove(id)) {
            DataKey ownerKey = proven.key();
            if (!ownerKey.isOwner()) {
                throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "binding level 5 needs the owner key of profile " + id);
            }
            try (DataKey bound = first ? sealer.withNewDeviceSecret(ownerKey)
                    : keys.level5Key(id, ownerKey, request.recoveryCode()).key()) {
                List<KeySlot> existing = profiles.deviceSlots(id);
                int next = existing.stream().mapToInt(KeySlot::slotId).max().orElse(-1) + 1;
                KeySlot device = keys.wrapDeviceSlot(bound, next, request.device(), now);     // the device answers here
                Optional<KeySlot> recovery = request.recovery().map(r -> keys.wrapDeviceSlot(bound, next + 1, r, now));
                TierLocks locks = first ? sealer.bindLevel5(bound, profile.locks()) : profile.locks();
                long resealed = owner.ceremony(ownerKey, () -> {
                    if (!keys.profile(id).locks().equals(profile.locks()) || !ids(profiles.deviceSlots(id)).equals(ids(existing))) {
                        throw new InvalidInputException(ErrorCode.INPUT_STATE, "level 5 of profile " + id
                                + " was bound or changed by another process meanwhile; run the command again");
                    }
                    long n = 0;
                    if (first) {
                        if (!existing.isEmpty()) {
                            throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "profile " + id
                                    + " has level-5 device slots but its level 5 is not bound: they were added outside the vault", null);
                        }
                        n = reseal(id, profile.keyVersion(), ownerKey, bound, locks);
                        profiles.updateLocks(id, locks);
                    }
                    profiles.addDeviceSlot(id, device);
                    recovery.ifPresent(r -> profiles.addDeviceSlot(id, r));
                    AuditEvent e = AuditEvent.of(AuditEvent.LEVEL5_BIND, now).with("profile", id.value())
                            .with("slot", device.slotId()).with("slot_type", device.type().wireName()).with("resealed", n);
                    if (recovery.isPresent()) e = e.with("recovery_slot", recovery.get().slotId());
                    audit.append(e);
                    return n;
                });
                keys.forgetLocks(id);
                return new Result(device, recovery, resealed);
            }
        }
    }

    /** Removes a device slot (the owner's passphrase); never the last one, which would leave level 5 unopenable. */
    public void removeSlot(ProfileId id, int slotId) {
        state.lockdown().refuseIfActive("removing a level-5 device slot");
        keys.profile(id);
        Instant now = clock.instant();
        try (OwnedKey proven = owner.prove(id)) {
            owner.ceremony(proven.key(), () -> {
                List<KeySlot> slots = profiles.deviceSlots(id);
                KeySlot slot = slots.stream().filter(s -> s.slotId() == slotId).findFirst().orElseThrow(() ->
                        new NotFoundException(ErrorCode.NOT_FOUND_SLOT, "profile " + id + " has no level-5 device slot " + slotId));
                if (slots.size() == 1) {
                    throw new InvalidInputException(ErrorCode.INPUT_STATE, "device slot " + slotId
                            + " is the last one of level 5: without it no level-5 memory of " + id + " could be opened again");
                }
                profiles.removeDeviceSlot(id, slotId);
                audit.append(AuditEvent.of(AuditEvent.LEVEL5_SLOT_REMOVE, now).with("profile", id.value())
                        .with("slot", slotId).with("slot_type", slot.type().wireName()));
            });
        }
    }

    private static List<Integer> ids(List<KeySlot> slots) { return slots.stream().map(KeySlot::slotId).toList(); }

    /**
     * Every level-5 memory of the profile, opened with the owner key alone and sealed again to the
     * bound public key (run inside the ceremony's transaction, so a memory stored meanwhile waits for
     * the write lock and is then sealed to the new key).
     */
    private long reseal(ProfileId id, int keyVersion, DataKey ownerKey, DataKey bound, TierLocks locks) {
        long n = 0;
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, PAGE);
            if (page.isEmpty()) break;
            for (Memory m : page) {
                if (!m.profile().equals(id) || m.classification() != Classification.BLACK || m.sealed().isEmpty()) continue;
                if (m.keyVersion() != keyVersion) {
                    throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_WRONG_KEY, "memory " + m.id()
                            + " is sealed under key version " + m.keyVersion() + " but profile " + id + " is at " + keyVersion, null);
                }
                AssociatedData next = new AssociatedData(AssociatedData.FORMAT_VERSION, m.id(), m.classification(), m.profile(),
                        m.keyVersion(), m.createdAt(), m.createdBy());
                try (Plaintext p = sealer.open(ownerKey, m.associatedData(), m.sealed().get(), m.commitment())) {
                    Sealer.Sealed sealed = sealer.seal(bound, locks, next, p);
                    memories.reseal(m.id(), sealed.content(), sealed.commitment());
                }
                n++;
            }
            after = Optional.of(page.get(page.size() - 1).id());
        }
        return n;
    }
}
