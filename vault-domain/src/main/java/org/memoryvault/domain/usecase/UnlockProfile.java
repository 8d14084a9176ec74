package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * Unlocks a profile with a secret: caches its data key for the unlock TTL and, when asked, writes
 * a session record so later processes can use the key until it expires.
 */
public final class UnlockProfile {
    public record Request(ProfileId profile, boolean persistSession) {
        public Request {
            Objects.requireNonNull(profile, "profile");
        }
    }

    public record Result(Instant expiresAt, Optional<UnlockSessions.SessionToken> token) {}

    private final ProfileKeys keys;
    private final Clock clock;

    public UnlockProfile(ProfileKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Result execute(Request request) {
        keys.refuseInLockdown("unlocking a profile");
        Profile profile = keys.profile(request.profile());
        DataKey dek = keys.unlockFromSecret(profile);
        Instant expires = clock.instant().plus(keys.settings().unlockTtl());
        Optional<UnlockSessions.SessionToken> token = Optional.empty();
        try {
            if (request.persistSession()) token = Optional.of(keys.sessions().persist(dek, expires));
        } catch (RuntimeException e) {
            dek.close();
            throw e;
        }
        keys.cache().remember(dek, keys.settings().unlockTtl());
        return new Result(expires, token);
    }
}
