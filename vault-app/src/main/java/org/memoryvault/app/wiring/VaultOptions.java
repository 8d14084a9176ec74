package org.memoryvault.app.wiring;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation says about the vault: where it is and where its secrets come from.
 * Secrets themselves are never here; only file paths and the environment.
 */
public record VaultOptions(Path home, Optional<Path> passphraseFile, Optional<Path> keyFile, Optional<Path> principalFile,
                           Map<String, String> env, Optional<Path> totpCodeFile) {
    public static final String ENV_SESSION = "MEMORY_VAULT_SESSION";
    public static final String ENV_PRINCIPAL_FILE = "MEMORY_VAULT_PRINCIPAL_FILE";
    /** A file holding a device PIN: a FIDO2 security key's (HARDWARE.md §8), a tpm2-pin slot's (§6). */
    public static final String ENV_PIN_FILE = "MEMORY_VAULT_PIN_FILE";

    public VaultOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(principalFile, "principalFile");
        env = Map.copyOf(env);
        Objects.requireNonNull(totpCodeFile, "totpCodeFile");
    }

    /** Options without a TOTP code file. */
    public VaultOptions(Path home, Optional<Path> passphraseFile, Optional<Path> keyFile, Optional<Path> principalFile,
                        Map<String, String> env) {
        this(home, passphraseFile, keyFile, principalFile, env, Optional.empty());
    }

    /** Options of the owner (no agent credential). */
    public VaultOptions(Path home, Optional<Path> passphraseFile, Optional<Path> keyFile, Map<String, String> env) {
        this(home, passphraseFile, keyFile, Optional.empty(), env);
    }

    public Optional<String> sessionToken() {
        return Optional.ofNullable(env.get(ENV_SESSION)).filter(s -> !s.isBlank());
    }
}
