package org.memoryvault.app.wiring;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the vault lives: {@code --vault DIR}, else {@code $MEMORY_VAULT_HOME}, else {@code ~/.memory-vault}. */
public final class VaultHome {
    public static final String ENV_HOME = "MEMORY_VAULT_HOME";

    private VaultHome() {}

    public static Path resolve(Optional<Path> option, Map<String, String> env, Path userHome) {
        if (option.isPresent()) return option.get().toAbsolutePath().normalize();
        String fromEnv = env.get(ENV_HOME);
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv).toAbsolutePath().normalize();
        return userHome.resolve(".memory-vault").toAbsolutePath().normalize();
    }
}
