package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;

/**
 * Adds a key slot to a profile. The first passphrase slot of a profile that escrows its owner key
 * under the key-file tier ends that escrow: from then on only a passphrase opens levels 3-5 (copies
 * of the vault made before still hold the escrow; docs/THREAT-MODEL.md). The caller proves a secret of the profile now (not a cached unlock);
 * once the profile has a passphrase slot only a passphrase counts, so a key-file holder cannot
 * give itself a passphrase. Refused during lockdown.
 */
public final class AddKeySlot {
    public record Request(ProfileId profile, NewSlot slot) {
        public Request {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(slot, "slot");
        }
    }

    private final ProfileRepository profiles;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    public AddKeySlot(ProfileRepository profiles, KeyAccess keys, OwnerProof owner, VaultStateRepository state,
                      AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public KeySlot execute(Request request) {
        state.lockdown().refuseIfActive("adding a key slot");
        Profile profile = keys.profile(request.profile());
        Instant now = clock.instant();
        KeySlot slot;
        boolean firstOwnerSlot = request.slot().secret().type().holdsOwnerKey()
                && !profile.hasOwnerSlot() && profile.locks().ownerEscrow().isPresent();
        try (OwnedKey proven = owner.prove(profile.id())) {
            DataKey dek = proven.key();
            slot = keys.wrapSlot(dek, profile.nextSlotId(), request.slot(), now);
            owner.ceremony(dek, () -> {
                profiles.addSlot(profile.id(), slot);
                if (firstOwnerSlot) profiles.updateLocks(profile.id(), profile.locks().withoutEscrow());
                keys.forgetLocks(profile.id());
                audit.append(AuditEvent.of(AuditEvent.SLOT_ADD, now).with("profile", profile.id().value())
                        .with("slot", slot.slotId()).with("slot_type", slot.type().wireName()));
            });
        }
        return slot;
    }
}
