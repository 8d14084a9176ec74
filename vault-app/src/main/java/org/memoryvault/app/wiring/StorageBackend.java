package org.memoryvault.app.wiring;

import java.nio.file.Path;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.port.VaultStorage;

/**
 * A storage technology the vault can live on, chosen by name from the vault's configuration
 * ({@code storage.backend}, written when the vault is created). A new one (e.g. PostgreSQL) is an
 * adapter module that implements {@link VaultStorage} and passes the port contract suites, plus one
 * entry in {@link StorageBackends}: the component and the use cases do not change.
 */
public interface StorageBackend {
    /** The name in {@code storage.backend}. */
    String name();

    /** Whether {@code vaultDir} already holds a store of this backend. */
    boolean existsIn(Path vaultDir);

    /** Creates the store for a new vault in {@code vaultDir}. */
    VaultStorage create(Path vaultDir, VaultConfig config);

    /** Opens the existing store ({@code STORAGE_NOT_INITIALISED} if there is none). */
    VaultStorage open(Path vaultDir, VaultConfig config);
}
