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
import org.memoryvault.domain.port.Transactions;

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
    private final ProfileKeys keys;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public RemoveKeySlot(ProfileRepository profiles, ProfileKeys keys, AuditLog audit, Transactions tx, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
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
                && profile.slots().stream().filter(x -> x.type() == slot.type()).count() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_LAST_SLOT, "slot " + slot.slotId() + " is the last passphrase slot of profile "
                    + profile.id() + ": it holds the owner key that opens levels 3-5; add another passphrase slot first");
        }
        keys.refuseInLockdown("removing a key slot");
        try (DataKey proof = keys.proveSecret(profile.id(), false)) {        // a secret proved now, not a cached unlock
            Instant now = clock.instant();
            tx.run(() -> {
                keys.beginCeremony(proof);
                profiles.removeSlot(profile.id(), slot.slotId());
                audit.append(AuditEvent.of(AuditEvent.SLOT_REMOVE, now).with("profile", profile.id().value())
                        .with("slot", slot.slotId()).with("slot_type", slot.type().wireName()));
                keys.endCeremony(proof);
            });
        }
    }
}
