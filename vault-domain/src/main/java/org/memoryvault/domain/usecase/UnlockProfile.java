package org.memoryvault.domain.usecase;

import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.VaultStateRepository;

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

    private final KeyAccess keys;
    private final UnlockSessions sessions;
    private final VaultStateRepository state;
    private final VaultSettings settings;
    private final Clock clock;

    public UnlockProfile(KeyAccess keys, UnlockSessions sessions, VaultStateRepository state, VaultSettings settings, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Result execute(Request request) {
        state.lockdown().refuseIfActive("unlocking a profile");
        Profile profile = keys.profile(request.profile());
        OwnedKey dek = keys.unlock(profile, t -> true);
        Instant expires = clock.instant().plus(settings.unlockTtl());
        Optional<UnlockSessions.SessionToken> token = Optional.empty();
        try {
            if (request.persistSession()) token = Optional.of(sessions.persist(dek.key(), expires));
        } catch (RuntimeException e) {
            dek.close();
            throw e;
        }
        keys.keep(dek);
        return new Result(expires, token);
    }
}
