package org.memoryvault.domain.usecase;

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

    private final ProfileKeys keys;

    public LockProfile(ProfileKeys keys) { this.keys = Objects.requireNonNull(keys, "keys"); }

    public void execute(Request request) {
        if (request.profile().isPresent()) {
            keys.cache().forget(request.profile().get());
            keys.sessions().destroy(request.profile().get());
        } else {
            keys.cache().forgetAll();
            keys.sessions().destroyAll();
        }
    }
}
