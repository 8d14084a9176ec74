package org.memoryvault.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings digest every owner seal carries (docs/FORMAT.md §12) must not move when a setting is
 * added: a vault sealed by an older version would otherwise be "changed outside owner ceremonies"
 * (exit 5) after an upgrade. Found when token.required was added.
 */
class SettingsDigestTest {
    /** The digest of a default config.toml as seals written before token.required carry it. */
    static final String DEFAULTS_AS_SEALED = "c8406aecee848057f86b0b9bd528046bb9ef7b8a54fb073ef45a28d9bce5c0ae";

    @TempDir Path dir;

    @Test
    void defaultSettings_haveTheDigestExistingSealsHold() throws Exception {
        Files.writeString(dir.resolve("config.toml"), "storage.backend = 'sqlite'\n");
        assertThat(VaultConfig.load(dir).digest()).isEqualTo(DEFAULTS_AS_SEALED);
    }

    @Test
    void aLaterSetting_entersTheDigestOnceSet() throws Exception {
        Files.writeString(dir.resolve("config.toml"), "storage.backend = 'sqlite'\ntoken.required = 'phone'\n");
        assertThat(VaultConfig.load(dir).digest()).isNotEqualTo(DEFAULTS_AS_SEALED);
    }
}
