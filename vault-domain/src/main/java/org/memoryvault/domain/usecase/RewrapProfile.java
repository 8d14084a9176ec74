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
 * Replaces one slot's secret (new passphrase or key file): the data key is re-wrapped, no memory
 * is touched, so it costs O(1) whatever the vault's size.
 */
public final class RewrapProfile {
    public record Request(ProfileId profile, int slotId, NewSlot replacement) {
        public Request {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(replacement, "replacement");
        }
    }

    private final ProfileRepository profiles;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    public RewrapProfile(ProfileRepository profiles, KeyAccess keys, OwnerProof owner, VaultStateRepository state,
                  AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public KeySlot execute(Request request) {
        Profile profile = keys.profile(request.profile());
        KeySlot old = profile.slot(request.slotId()).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_SLOT,
                "profile " + profile.id() + " has no key slot " + request.slotId()));
        if (!old.type().equals(request.replacement().secret().type())) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "slot " + old.slotId() + " is a "
                    + old.type().wireName() + " slot; rewrap it with the same kind of secret");
        }
        state.lockdown().refuseIfActive("rewrapping a key slot");
        Instant now = clock.instant();
        KeySlot slot;
        try (OwnedKey proven = owner.prove(profile.id())) {
            slot = keys.wrapSlot(proven.key(), old.slotId(), request.replacement(), now);
            owner.ceremony(proven.key(), () -> {
                profiles.replaceSlot(profile.id(), slot);
                audit.append(AuditEvent.of(AuditEvent.REWRAP, now).with("profile", profile.id().value())
                        .with("slot", slot.slotId()).with("slot_type", slot.type().wireName()));
            });
        }
        return slot;
    }
}
