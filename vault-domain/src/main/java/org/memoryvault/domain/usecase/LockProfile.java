package org.memoryvault.domain.usecase;

import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;

import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.ProfileId;

/** Locks one profile or all: wipes cached keys and destroys session records. */
public final class LockProfile {
    public record Request(Optional<ProfileId> profile) {
        public Request {
            Objects.requireNonNull(profile, "profile");
        }
    }

    private final UnlockedKeys cache;
    private final UnlockSessions sessions;

    public LockProfile(UnlockedKeys cache, UnlockSessions sessions) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    public void execute(Request request) {
        if (request.profile().isPresent()) {
            cache.forget(request.profile().get());
            sessions.destroy(request.profile().get());
        } else {
            cache.forgetAll();
            sessions.destroyAll();
        }
    }
}
