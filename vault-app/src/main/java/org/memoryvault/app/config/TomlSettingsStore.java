package org.memoryvault.app.config;

import java.util.Objects;
import org.memoryvault.domain.port.SettingsStore;

/** The settings of config.toml: what the owner seal covers ({@link VaultConfig#fileDigest}) and how a setting changes. */
public final class TomlSettingsStore implements SettingsStore {
    private final VaultConfig config;

    public TomlSettingsStore(VaultConfig config) { this.config = Objects.requireNonNull(config, "config"); }

    /** The settings this process loaded (and acts on). */
    @Override public String digest() { return config.digest(); }

    /** config.toml as it is on disk now. */
    @Override public String storedDigest() { return config.fileDigest(); }

    @Override public boolean lockdownExitByAnySecret() { return config.lockdownExitByAnySecret(); }

    @Override public void check(String key, String value) { config.check(key, value); }

    @Override public void reload() { config.reload(); }

    @Override public void set(String key, String value) { config.set(key, value); }

    @Override public void checkUnset(String key) { config.checkUnset(key); }

    @Override public void unset(String key) { config.unset(key); }

    @Override public void revert() { config.revert(); }
}
