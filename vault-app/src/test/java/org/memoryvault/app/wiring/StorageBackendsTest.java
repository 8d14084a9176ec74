package org.memoryvault.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfPreset;

/** The storage backend is chosen by the vault's configuration, written at init and fixed from then on. */
class StorageBackendsTest {
    @TempDir Path tmp;

    private VaultOptions options() { return new VaultOptions(tmp.resolve("vault"), Optional.empty(), Optional.empty(), Map.of()); }

    @Test
    void init_writesTheBackendDown_andTheVaultReopensWithIt() throws Exception {
        try (Vault vault = Vault.init(options(), Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createProfile("p", true, Optional.empty(), false, Optional.empty());
        }
        assertThat(Files.readString(tmp.resolve("vault/config.toml"))).contains("storage.backend = 'sqlite'");
        try (Vault vault = Vault.open(options())) {
            assertThat(vault.component().listProfiles().execute()).hasSize(1);
        }
    }

    @Test
    void theBackend_cannotBeChangedAfterInit() throws Exception {
        try (Vault vault = Vault.init(options(), Optional.of(KdfPreset.INTERACTIVE))) {
            assertThatThrownBy(() -> vault.config().check("storage.backend", "postgresql"))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG));
        }
    }

    @Test
    void aBackendThisBuildDoesNotHave_isAClearConfigError_andTouchesNothing() throws Exception {
        try (Vault vault = Vault.init(options(), Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createProfile("p", true, Optional.empty(), false, Optional.empty());
        }
        Path config = tmp.resolve("vault/config.toml");
        String edited = Files.readString(config).replace("storage.backend = 'sqlite'", "storage.backend = 'postgresql'");
        Files.writeString(config, edited);
        byte[] db = Files.readAllBytes(tmp.resolve("vault/vault.db"));
        assertThatThrownBy(() -> Vault.open(options()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG);
                    assertThat(e.getMessage()).contains("storage.backend").contains("postgresql").contains("sqlite");
                });
        assertThat(Files.readAllBytes(tmp.resolve("vault/vault.db"))).isEqualTo(db);
    }

    @Test
    void aDirectoryWithoutAStore_isNotInitialised() {
        assertThatThrownBy(() -> Vault.open(options()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_NOT_INITIALISED));
        assertThat(StorageBackends.named("sqlite").existsIn(tmp)).isFalse();
        assertThat(VaultConfig.load(tmp).get(org.memoryvault.app.config.ConfigKey.STORAGE_BACKEND)).isEqualTo("sqlite");
    }
}
