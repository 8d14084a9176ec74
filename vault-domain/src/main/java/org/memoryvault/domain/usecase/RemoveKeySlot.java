package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;

/**
 * Removes a key slot. The caller must prove a secret of the profile now (not a cached unlock), and
 * the last slot can never be removed: that would lose the data key. Nor can the last passphrase
 * slot: it holds the owner key, without which levels 3-5 would never open again.
 */
public final class RemoveKeySlot {
    public record Request(ProfileId profile, int slotId) {
        public Request {
            Objects.requireNonNull(profile, "profile");
        }
    }

    private final ProfileRepository profiles;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    public RemoveKeySlot(ProfileRepository profiles, KeyAccess keys, OwnerProof owner, VaultStateRepository state,
                  AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void execute(Request request) {
        Profile profile = keys.profile(request.profile());
        KeySlot slot = profile.slot(request.slotId()).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_SLOT,
                "profile " + profile.id() + " has no key slot " + request.slotId()));
        if (profile.slots().size() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_LAST_SLOT,
                    "slot " + slot.slotId() + " is the last key slot of profile " + profile.id() + "; add another first");
        }
        if (slot.type().holdsOwnerKey() && !profile.locks().isNone()
                && profile.slots().stream().filter(x -> x.type().equals(slot.type())).count() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_LAST_SLOT, "slot " + slot.slotId() + " is the last passphrase slot of profile "
                    + profile.id() + ": it holds the owner key that opens levels 3-5; add another passphrase slot first");
        }
        state.lockdown().refuseIfActive("removing a key slot");
        try (OwnedKey proof = owner.prove(profile.id())) {        // a secret proved now, not a cached unlock
            Instant now = clock.instant();
            owner.ceremony(proof.key(), () -> {
                profiles.removeSlot(profile.id(), slot.slotId());
                audit.append(AuditEvent.of(AuditEvent.SLOT_REMOVE, now).with("profile", profile.id().value())
                        .with("slot", slot.slotId()).with("slot_type", slot.type().wireName()));
            });
        }
    }
}
