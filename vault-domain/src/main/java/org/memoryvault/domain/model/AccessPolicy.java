package org.memoryvault.domain.model;

import java.util.Objects;

/** Per-memory recall rules chosen at write time. */
public record AccessPolicy(Cooldown cooldown) {
    public static final AccessPolicy DEFAULT = new AccessPolicy(Cooldown.NONE);

    public AccessPolicy {
        Objects.requireNonNull(cooldown, "cooldown");
    }
}
