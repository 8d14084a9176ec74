package org.memoryvault.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.policy.VaultSettings;

/**
 * The vault's configuration: {@code <vault>/config.toml}, a TOML file of dotted keys. Unknown keys
 * are refused on {@code set} and reported on load, so a typo never silently weakens a gate.
 */
public final class VaultConfig {
    public static final String FILE_NAME = "config.toml";
    private static final TomlMapper TOML = new TomlMapper();

    private final Path file;
    private final TreeMap<String, String> values;

    private VaultConfig(Path file, TreeMap<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** Loads {@code <vaultDir>/config.toml}; a missing file means all defaults. */
    public static VaultConfig load(Path vaultDir) {
        Path file = vaultDir.resolve(FILE_NAME);
        TreeMap<String, String> values = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                Map<?, ?> tree = TOML.readValue(file.toFile(), Map.class);
                flatten("", tree, values);
            } catch (JacksonException e) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, file + " is not valid TOML (line "
                        + e.getLocation().getLineNr() + ")");
            } catch (IOException e) {
                throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot read " + file, e);
            }
            for (Map.Entry<String, String> e : values.entrySet()) ConfigKey.validate(e.getKey(), e.getValue());
        }
        return new VaultConfig(file, values);
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else out.put(key, String.valueOf(e.getValue()));
        }
    }

    public String get(String key) {
        String v = values.get(key);
        if (v != null) return v;
        if (key.startsWith(ConfigKey.PRINCIPALS_PREFIX)) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "no principal " + key.substring(ConfigKey.PRINCIPALS_PREFIX.length()));
        }
        return ConfigKey.find(key).map(ConfigKey::defaultValue).orElseThrow(() ->
                new InvalidInputException(ErrorCode.INPUT_CONFIG, "unknown configuration key " + key + "; see docs/CONFIG.md"));
    }

    public String get(ConfigKey key) { return values.getOrDefault(key.key(), key.defaultValue()); }

    /** All keys with their effective values (defaults included), sorted. */
    public Map<String, String> effective() {
        TreeMap<String, String> all = new TreeMap<>();
        for (ConfigKey k : ConfigKey.values()) all.put(k.key(), k.defaultValue());
        if (!values.containsKey(ConfigKey.PRINCIPALS_PREFIX + "owner")) all.put(ConfigKey.PRINCIPALS_PREFIX + "owner", "5");
        all.putAll(values);
        return all;
    }

    /** Validates and writes the value (atomically, 0600). */
    public void set(String key, String value) {
        ConfigKey.validate(key, value);
        values.put(key, value);
        save();
    }

    private void save() {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                node = child;
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, "# Memory Vault configuration; keys are documented in docs/CONFIG.md\n"
                    + (tree.isEmpty() ? "" : TOML.writeValueAsString(tree)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
    }

    /** Writes the file with no settings, if it does not exist. */
    public void createIfMissing() {
        if (!Files.exists(file)) save();
    }

    public VaultSettings settings() {
        return new VaultSettings(duration(ConfigKey.EPHEMERAL_TTL), Long.parseLong(get(ConfigKey.CONTENT_MAX_BYTES)),
                duration(ConfigKey.UNLOCK_TTL), KdfPreset.parse(get(ConfigKey.KDF_PRESET)));
    }

    public Duration duration(ConfigKey key) { return Durations.parse(get(key)); }

    /** The clearance configured for a principal; the owner is 5 unless configured otherwise. */
    public Optional<Classification> clearance(String principal) {
        String v = values.get(ConfigKey.PRINCIPALS_PREFIX + principal);
        if (v != null) return Optional.of(Classification.parse(v));
        if (principal.equals("owner")) return Optional.of(Classification.BLACK);
        return Optional.empty();
    }

    public Set<String> ignoredInterfaces() {
        String v = get(ConfigKey.BOUNDARY_IGNORE_INTERFACES).strip();
        if (v.isEmpty()) return Set.of();
        return Set.of(v.split("\\s*,\\s*"));
    }
}
