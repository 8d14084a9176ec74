package org.memoryvault.domain.usecase;

import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.port.ProfileRepository;

/** Lists profiles with their slots (no secrets: slots hold wrapped keys only). */
public final class ListProfiles {
    private final ProfileRepository profiles;

    public ListProfiles(ProfileRepository profiles) { this.profiles = Objects.requireNonNull(profiles, "profiles"); }

    public List<Profile> execute() { return profiles.list(); }
}
