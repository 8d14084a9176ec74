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
    private final ProfileKeys keys;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public RewrapProfile(ProfileRepository profiles, ProfileKeys keys, AuditLog audit, Transactions tx, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public KeySlot execute(Request request) {
        Profile profile = keys.profile(request.profile());
        KeySlot old = profile.slot(request.slotId()).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_SLOT,
                "profile " + profile.id() + " has no key slot " + request.slotId()));
        if (old.type() != request.replacement().secret().type()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "slot " + old.slotId() + " is a "
                    + old.type().wireName() + " slot; rewrap it with the same kind of secret");
        }
        keys.refuseInLockdown("rewrapping a key slot");
        Instant now = clock.instant();
        KeySlot slot;
        try (DataKey dek = keys.proveSecret(profile.id(), false)) {
            slot = CreateProfile.wrap(keys, dek, old.slotId(), request.replacement(), now);
            tx.run(() -> {
                keys.beginCeremony(dek);
                profiles.replaceSlot(profile.id(), slot);
                audit.append(AuditEvent.of(AuditEvent.REWRAP, now).with("profile", profile.id().value())
                        .with("slot", slot.slotId()).with("slot_type", slot.type().wireName()));
                keys.endCeremony(dek);
            });
        }
        return slot;
    }
}
