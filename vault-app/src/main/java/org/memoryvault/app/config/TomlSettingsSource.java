package org.memoryvault.app.config;

import java.util.Objects;
import org.memoryvault.domain.port.SettingsSource;

/** The settings of config.toml, as the owner seal covers them ({@link VaultConfig#digest}). */
public final class TomlSettingsSource implements SettingsSource {
    private final VaultConfig config;

    public TomlSettingsSource(VaultConfig config) { this.config = Objects.requireNonNull(config, "config"); }

    @Override public String digest() { return config.fileDigest(); }

    @Override public boolean lockdownExitByAnySecret() { return config.lockdownExitByAnySecret(); }
}
