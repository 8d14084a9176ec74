package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;

/**
 * Creates a profile: fresh random keys, wrapped once per requested slot (a passphrase slot holds
 * the owner key, a key-file slot only the level 0-2 tier key), and the public locks of levels 3-5.
 * A profile without a passphrase slot escrows the owner key under the key-file tier until its
 * first passphrase slot is added: until then, its key file is the owner (docs/THREAT-MODEL.md).
 * The new key stays unlocked. The vault's first profile becomes the owner's profile. Refused
 * during lockdown.
 */
public final class CreateProfile {
    public record Request(ProfileId id, List<NewSlot> slots) {
        public Request {
            Objects.requireNonNull(id, "id");
            slots = List.copyOf(slots);
            if (slots.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a profile needs at least one key slot");
        }
    }

    private final ProfileRepository profiles;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Clock clock;

    public CreateProfile(ProfileRepository profiles, KeyAccess keys, OwnerProof owner, VaultStateRepository state,
                         Sealer sealer, AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Profile execute(Request request) {
        state.lockdown().refuseIfActive("creating a profile");
        if (profiles.find(request.id()).isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_PROFILE_EXISTS, "a profile named " + request.id() + " exists");
        }
        Instant now = clock.instant();
        DataKey dek = sealer.newDataKey(request.id(), 1);
        try {
            List<KeySlot> slots = new ArrayList<>();
            for (NewSlot s : request.slots()) {
                slots.add(keys.wrapSlot(dek, slots.size(), s, now));
            }
            boolean ownerSlot = slots.stream().anyMatch(k -> k.type().holdsOwnerKey());
            Profile profile = new Profile(request.id(), now, 1, slots, sealer.locks(dek, !ownerSlot));
            owner.ceremony(dek, () -> {
                profiles.create(profile);
                if (state.ownerProfile().isEmpty()) state.setOwnerProfile(profile.id());
                AuditEvent e = AuditEvent.of(AuditEvent.PROFILE_CREATE, now).with("profile", request.id().value())
                        .with("slots", String.join(",", slots.stream().map(k -> k.type().wireName()).toList()));
                audit.append(e);
            });
            keys.keep(OwnedKey.adopt(dek));
            return profile;
        } catch (RuntimeException e) {
            dek.close();
            throw e;
        }
    }
}
