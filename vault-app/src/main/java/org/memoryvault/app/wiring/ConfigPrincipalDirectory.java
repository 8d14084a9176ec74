package org.memoryvault.app.wiring;

import java.util.Objects;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Principal;
import org.memoryvault.domain.port.PrincipalDirectory;

/** Principals and clearances from {@code principals.<name>} in config.toml; unknown names get clearance 0. */
final class ConfigPrincipalDirectory implements PrincipalDirectory {
    private final VaultConfig config;

    ConfigPrincipalDirectory(VaultConfig config) { this.config = Objects.requireNonNull(config, "config"); }

    @Override
    public Principal resolve(String name) {
        return new Principal(name, config.clearance(name).orElse(Classification.EPHEMERAL));
    }
}
