package org.memoryvault.app.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.KdfPreset;

/**
 * Every configuration key with its default and validation (contract: docs/CONFIG.md lists the same).
 * Keys under {@code principals.} are open: {@code principals.<name> = <clearance 0-5>}.
 */
public enum ConfigKey {
    KDF_PRESET("kdf.preset", "sensitive", v -> KdfPreset.parse(v)),
    UNLOCK_TTL("unlock.ttl", "15m", Durations::parse),
    EPHEMERAL_TTL("ephemeral.ttl", "24h", Durations::parse),
    CONTENT_MAX_BYTES("content.max-bytes", "16777216", v -> positiveLong(v, "content.max-bytes")),
    BOUNDARY_GUARD("boundary.guard", "local", v -> oneOf(v, "boundary.guard", "local", "daemon")),
    BOUNDARY_IGNORE_INTERFACES("boundary.local.ignore-interfaces", "", v -> { }),
    BOUNDARY_SOCKET("boundary.socket", "", v -> { }),
    BOUNDARY_TOKEN_FILE("boundary.token-file", "", v -> { }),
    BOUNDARY_TIMEOUT("boundary.timeout", "2s", v -> positiveDuration(v, "boundary.timeout")),
    BOUNDARY_PERMIT_CACHE("boundary.permit-cache", "0", v -> {
        if (Durations.parse(v).compareTo(java.time.Duration.ofMinutes(5)) > 0) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.permit-cache must be at most 5m");
        }
    }),
    APPROVAL_GATE("approval.gate", "terminal", v -> oneOf(v, "approval.gate", "terminal", "queue")),
    APPROVAL_TTL("approval.ttl", "15m", v -> positiveDuration(v, "approval.ttl")),
    APPROVAL_OWNER_SECRET("approval.owner-secret", "passphrase", v -> oneOf(v, "approval.owner-secret", "passphrase", "any")),
    ANOMALY_ENABLED("anomaly.enabled", "true", v -> oneOf(v, "anomaly.enabled", "true", "false")),
    ANOMALY_PER_REQUESTER("anomaly.max-refusals-per-requester", "5", v -> positiveLong(v, "anomaly.max-refusals-per-requester")),
    ANOMALY_TOTAL("anomaly.max-refusals-total", "20", v -> positiveLong(v, "anomaly.max-refusals-total")),
    ANOMALY_WINDOW("anomaly.window", "10m", v -> positiveDuration(v, "anomaly.window")),
    AUDITOR_PROMPT_INJECTION("auditor.prompt-injection", "warn", v -> oneOf(v, "auditor.prompt-injection", "warn", "refuse", "off")),
    RECALL_DEFAULT_REQUESTER("recall.default-requester", "owner", v -> { }),
    LOCKDOWN_EXIT_SECRET("lockdown.exit-secret", "passphrase", v -> oneOf(v, "lockdown.exit-secret", "passphrase", "any")),
    STORAGE_BUSY_TIMEOUT("storage.busy-timeout", "5s", Durations::parse),
    AUDIT_CHECKPOINT_INTERVAL("audit.checkpoint-interval", "1m", v -> positiveDuration(v, "audit.checkpoint-interval"));

    public static final String PRINCIPALS_PREFIX = "principals.";

    private final String key;
    private final String defaultValue;
    private final Consumer<String> validator;

    ConfigKey(String key, String defaultValue, Consumer<String> validator) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.validator = validator;
    }

    public String key() { return key; }

    public String defaultValue() { return defaultValue; }

    public void validate(String value) { validator.accept(value); }

    public static Optional<ConfigKey> find(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /** Checks a key and value as {@code vault config set} receives them. */
    public static void validate(String key, String value) {
        if (key.startsWith(PRINCIPALS_PREFIX)) {
            String name = key.substring(PRINCIPALS_PREFIX.length());
            if (!name.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "principal names are 1-128 of A-Z a-z 0-9 . _ -");
            }
            Classification.parse(value);
            return;
        }
        ConfigKey k = find(key).orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_CONFIG,
                "unknown configuration key " + key + "; see docs/CONFIG.md"));
        k.validate(value);
    }

    private static void oneOf(String v, String key, String... allowed) {
        if (!Arrays.asList(allowed).contains(v)) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " must be one of " + String.join(", ", allowed));
        }
    }

    private static void positiveDuration(String v, String key) {
        if (Durations.parse(v).isZero()) throw new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " must be longer than 0");
    }

    private static void positiveLong(String v, String key) {
        try {
            if (Long.parseLong(v) > 0) return;
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " must be a positive whole number");
    }
}
