package org.memoryvault.app.wiring;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.storage.sqlite.SqliteDatabases;
import org.memoryvault.storage.sqlite.SqliteVaultStorage;

/** The storage backends of this build, by the name {@code storage.backend} gives (docs/CONFIG.md). */
public final class StorageBackends {
    private static final Map<String, StorageBackend> BY_NAME = Map.of(SqliteVaultStorage.BACKEND, new Sqlite());

    private StorageBackends() {}

    /** The backend called {@code name}; {@code INPUT_CONFIG} naming the known ones otherwise. */
    public static StorageBackend named(String name) {
        StorageBackend b = BY_NAME.get(name);
        if (b == null) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "storage.backend = " + name + " is not a backend of this build ("
                    + new TreeSet<>(BY_NAME.keySet()) + ")");
        }
        return b;
    }

    /** The backend the vault's configuration names. */
    public static StorageBackend of(VaultConfig config) { return named(config.get(ConfigKey.STORAGE_BACKEND)); }

    /** SQLite, the embedded default: {@code <vault>/vault.db}. */
    private static final class Sqlite implements StorageBackend {
        @Override public String name() { return SqliteVaultStorage.BACKEND; }

        @Override public boolean existsIn(Path vaultDir) { return SqliteVaultStorage.existsIn(vaultDir); }

        @Override public VaultStorage create(Path vaultDir, VaultConfig config) {
            return SqliteVaultStorage.create(vaultDir, options(config));
        }

        @Override public VaultStorage open(Path vaultDir, VaultConfig config) {
            return SqliteVaultStorage.open(vaultDir, options(config));
        }

        private static SqliteDatabases.Options options(VaultConfig config) {
            return SqliteDatabases.Options.DEFAULT.withBusyTimeout(config.duration(ConfigKey.STORAGE_BUSY_TIMEOUT));
        }
    }
}
