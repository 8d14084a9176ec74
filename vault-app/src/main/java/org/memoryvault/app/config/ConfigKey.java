package org.memoryvault.app.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.KdfPreset;

/**
 * Every configuration key with its default and validation (contract: docs/CONFIG.md lists the same).
 * Retired keys ({@link #retiredReason}) are refused by {@code set} and ignored, with a note, on load.
 */
public enum ConfigKey {
    KDF_PRESET("kdf.preset", "sensitive", v -> KdfPreset.parse(v)),
    UNLOCK_TTL("unlock.ttl", "15m", Durations::parse),
    EPHEMERAL_TTL("ephemeral.ttl", "24h", Durations::parse),
    CONTENT_MAX_BYTES("content.max-bytes", "16777216", v -> positiveLong(v, ConfigKey.MAX_CONTENT_BYTES)),
    BOUNDARY_GUARD("boundary.guard", "local", v -> oneOf(v, "local", "daemon")),
    BOUNDARY_IGNORE_INTERFACES("boundary.local.ignore-interfaces", "", ConfigKey::interfaceNames),
    BOUNDARY_SOCKET("boundary.socket", "", v -> absolutePath(v, true)),
    BOUNDARY_TOKEN_FILE("boundary.token-file", "", v -> absolutePath(v, true)),
    BOUNDARY_TIMEOUT("boundary.timeout", "2s", ConfigKey::positiveDuration),
    BOUNDARY_PERMIT_CACHE("boundary.permit-cache", "0", v -> {
        if (Durations.parse(v).compareTo(java.time.Duration.ofMinutes(5)) > 0) throw bad("must be at most 5m");
    }),
    APPROVAL_GATE("approval.gate", "terminal", v -> oneOf(v, "terminal", "queue")),
    APPROVAL_TTL("approval.ttl", "15m", ConfigKey::positiveDuration),
    ANOMALY_ENABLED("anomaly.enabled", "true", v -> oneOf(v, "true", "false")),
    ANOMALY_PER_REQUESTER("anomaly.max-refusals-per-requester", "5", v -> positiveLong(v, Integer.MAX_VALUE)),
    ANOMALY_TOTAL("anomaly.max-refusals-total", "20", v -> positiveLong(v, Integer.MAX_VALUE)),
    ANOMALY_WINDOW("anomaly.window", "10m", ConfigKey::positiveDuration),
    AUDITOR_PROMPT_INJECTION("auditor.prompt-injection", "warn", v -> oneOf(v, "warn", "refuse", "off")),
    LOCKDOWN_EXIT_SECRET("lockdown.exit-secret", "passphrase", v -> oneOf(v, "passphrase", "any")),
    TOKEN_REQUIRED("token.required", "", v -> {
        if (!v.isEmpty()) org.memoryvault.domain.model.PresenceToken.requireValidName(v);
    }),
    STORAGE_BUSY_TIMEOUT("storage.busy-timeout", "5s", Durations::parse),
    STORAGE_BACKEND("storage.backend", "sqlite", v -> oneOf(v, "sqlite")),        // the backends of app.wiring.StorageBackends
    AUDIT_CHECKPOINT_INTERVAL("audit.checkpoint-interval", "1m", ConfigKey::positiveDuration),
    AUDIT_WITNESS_FILE("audit.witness-file", "", v -> absolutePath(v, true)),
    AUDIT_TPM_COUNTER("audit.tpm-counter", "", v -> {
        if (!v.isEmpty() && !v.matches("0x01[0-9a-b][0-9a-f]{5}:[0-9a-f]{64}")) {
            throw bad("is INDEX:FINGERPRINT as `vault hardware counter define` prints it (e.g. 0x01500016:3f2a...), or empty");
        }
    });

    /** Where principals lived before they moved into the vault (retired). */
    public static final String PRINCIPALS_PREFIX = "principals.";
    /** The largest {@code content.max-bytes}: content is held in one Java array, and SQLite's blobs stop below 1 GB. */
    public static final long MAX_CONTENT_BYTES = 1L << 29;

    private final String key;
    private final String defaultValue;
    private final Consumer<String> validator;

    ConfigKey(String key, String defaultValue, Consumer<String> validator) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.validator = validator;
    }

    public String key() { return key; }

    /**
     * Keys added after owner seals existed (schema 5) enter the settings digest only when set to a
     * value other than their default, so adding one does not break the seals of existing vaults.
     * Every key added from now on goes here (docs/CONTRIBUTING.md).
     */
    public boolean sealedOnlyWhenSet() { return this == TOKEN_REQUIRED || this == AUDIT_TPM_COUNTER; }

    public String defaultValue() { return defaultValue; }

    /**
     * Checks a value for this key's type (integer, duration, boolean, enumeration, absolute path,
     * name); anything else is {@code INPUT_CONFIG} naming the key, never another exception.
     */
    public void validate(String value) {
        try {
            if (value.chars().anyMatch(Character::isISOControl)) throw bad("must not contain control characters");
            validator.accept(value);
        } catch (InvalidInputException | IllegalArgumentException | ArithmeticException e) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " = " + shown(value) + " is refused: " + e.getMessage());
        }
    }

    public static Optional<ConfigKey> find(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /**
     * Why a key that older vaults may hold no longer does anything, if it is such a key:
     * {@code principals.<name>} (principals live in the vault, with credentials),
     * {@code recall.default-requester} and {@code approval.owner-secret}.
     */
    public static Optional<String> retiredReason(String key) {
        if (key.startsWith(PRINCIPALS_PREFIX)) {
            return Optional.of("principals live in the vault now, each with a credential: run `vault principal add "
                    + shown(key.substring(PRINCIPALS_PREFIX.length())) + " --clearance N` and delete this line from config.toml");
        }
        if (key.equals("recall.default-requester")) {
            return Optional.of("a request without --principal-file is the owner's; agents present a credential (`vault principal add`)");
        }
        if (key.equals("approval.owner-secret")) {
            return Optional.of("approving always proves the owner's passphrase now: it releases the memory's key to the agent");
        }
        return Optional.empty();
    }

    /**
     * The value as TOML and JSON carry it: a whole number for the numeric keys, a boolean for
     * {@code anomaly.enabled}, else the text (durations such as {@code 15m} are text). The value
     * must be valid for the key.
     */
    public Object typed(String value) {
        return switch (this) {
            case CONTENT_MAX_BYTES, ANOMALY_PER_REQUESTER, ANOMALY_TOTAL -> Long.parseLong(value);
            case ANOMALY_ENABLED -> Boolean.parseBoolean(value);
            default -> value;
        };
    }

    /** {@link #typed} for a key by name; an unknown key's value stays text. */
    public static Object typed(String key, String value) {
        Optional<ConfigKey> k = find(key);
        if (k.isEmpty()) return value;
        try {
            k.get().validate(value);
        } catch (InvalidInputException invalid) {
            return value;
        }
        return k.get().typed(value);
    }

    /** Checks a key and value as {@code vault config set} receives them. */
    public static void validate(String key, String value) {
        Optional<String> retired = retiredReason(key);
        if (retired.isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, shown(key) + " is retired: " + retired.get());
        }
        ConfigKey k = find(key).orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_CONFIG,
                "unknown configuration key " + shown(key) + "; see docs/CONFIG.md"));
        k.validate(value);
    }

    /** The known key nearest to {@code key} (at most two edits away, Levenshtein), for a "did you mean". */
    public static Optional<String> closest(String key) {
        String best = null;
        int bestDistance = 3;
        for (ConfigKey k : values()) {
            int d = distance(k.key, key);
            if (d < bestDistance) {
                best = k.key;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance (for "did you mean" suggestions). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int swap = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + swap);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A key as a message may show it (quoted, control and format characters escaped). */
    public static String shownKey(String key) { return key.matches("[A-Za-z0-9._-]{1,80}") ? key : shown(key); }

    /** A value as an error message may show it: quoted, control characters escaped, at most 80 characters. */
    private static String shown(String v) {
        StringBuilder b = new StringBuilder("\"");
        v.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return b.append(v.codePointCount(0, v.length()) > 80 ? "...\"" : "\"").toString();
    }

    private static InvalidInputException bad(String why) { return new InvalidInputException(ErrorCode.INPUT_CONFIG, why); }

    private static void oneOf(String v, String... allowed) {
        if (!Arrays.asList(allowed).contains(v)) throw bad("must be one of " + String.join(", ", allowed));
    }

    private static void positiveDuration(String v) {
        if (Durations.parse(v).isZero()) throw bad("must be longer than 0");
    }

    private static void positiveLong(String v, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad("must be a whole number from 1 to " + max);
        }
        if (n < 1 || n > max) throw bad("must be a whole number from 1 to " + max);
    }

    private static void absolutePath(String v, boolean emptyAllowed) {
        if (v.isEmpty() && emptyAllowed) return;
        if (v.isBlank() || !v.equals(v.strip())) throw bad("must be an absolute path without surrounding spaces");
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad("is not a valid path");
        }
        if (!p.isAbsolute()) throw bad("must be an absolute path (relative paths depend on where the vault runs)");
    }


    private static void interfaceNames(String v) {
        if (v.isBlank()) return;
        for (String name : v.strip().split("\\s*,\\s*")) {
            if (!name.matches("[A-Za-z0-9._:@-]{1,64}")) {
                throw bad("must be comma-separated interface names (A-Z a-z 0-9 . _ : @ -)");
            }
        }
    }
}
