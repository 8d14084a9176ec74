package org.memoryvault.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where vault-crypto keeps its files for one vault, and how it learns the session token: what the
 * wiring gives {@link CryptoModule} for the unlock-session store and the audit log's signer.
 *
 * @param sessionsDir  session records (created 0700 on first write; docs/FORMAT.md §8)
 * @param auditKeysDir the audit signing key epochs (0600 files in a 0700 directory)
 * @param sessionToken the caller's session token when asked (the CLI passes {@code $MEMORY_VAULT_SESSION})
 */
public record CryptoFiles(Path sessionsDir, Path auditKeysDir, Supplier<Optional<String>> sessionToken) {
    public CryptoFiles {
        Objects.requireNonNull(sessionsDir, "sessionsDir");
        Objects.requireNonNull(auditKeysDir, "auditKeysDir");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    /** The layout of a vault directory: {@code <vault>/sessions} and {@code <vault>/audit}. */
    public static CryptoFiles in(Path vaultDir, Supplier<Optional<String>> sessionToken) {
        return new CryptoFiles(vaultDir.resolve("sessions"), vaultDir.resolve("audit"), sessionToken);
    }
}
