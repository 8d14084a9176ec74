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
import java.util.Set;
import java.util.TreeMap;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
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
    private final TreeMap<String, String> retired;

    private VaultConfig(Path file, TreeMap<String, String> values, TreeMap<String, String> retired) {
        this.file = file;
        this.values = values;
        this.retired = retired;
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
        }
        TreeMap<String, String> retired = new TreeMap<>();
        for (var it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            java.util.Optional<String> why = ConfigKey.retiredReason(e.getKey());
            if (why.isPresent()) {
                retired.put(e.getKey(), why.get());
                it.remove();
            } else {
                ConfigKey.validate(e.getKey(), e.getValue());
            }
        }
        return new VaultConfig(file, values, retired);
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else out.put(key, String.valueOf(e.getValue()));
        }
    }

    /** Keys of config.toml that no longer do anything, with what replaced them (shown as a note). */
    public Map<String, String> retired() { return java.util.Collections.unmodifiableMap(retired); }

    public String get(String key) {
        String v = values.get(key);
        if (v != null) return v;
        return ConfigKey.find(key).map(ConfigKey::defaultValue).orElseThrow(() ->
                new InvalidInputException(ErrorCode.INPUT_CONFIG, "unknown configuration key " + key + "; see docs/CONFIG.md"));
    }

    public String get(ConfigKey key) { return values.getOrDefault(key.key(), key.defaultValue()); }

    /** All keys with their effective values (defaults included), sorted. */
    public Map<String, String> effective() {
        TreeMap<String, String> all = new TreeMap<>();
        for (ConfigKey k : ConfigKey.values()) all.put(k.key(), k.defaultValue());
        all.putAll(values);
        return all;
    }

    /** SHA-256 over "key=value\n" of every {@link #effective} setting, in key order (docs/FORMAT.md §12). */
    public String digest() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            effective().forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** {@link #digest} of config.toml as it is on disk now (another process may have changed it since this one loaded it). */
    /** The vault directory this config.toml lives in. */
    private Path directory() { return java.util.Objects.requireNonNull(file.getParent(), "config.toml has a directory"); }

    public String fileDigest() {
        return load(directory()).digest();
    }

    /** Reads config.toml again (inside an owner ceremony, so a change another owner process made is kept). */
    public synchronized void reload() {
        VaultConfig fresh = load(directory());
        values.clear();
        values.putAll(fresh.values);
        retired.clear();
        retired.putAll(fresh.retired);
    }

    public boolean lockdownExitByAnySecret() { return "any".equals(get(ConfigKey.LOCKDOWN_EXIT_SECRET)); }

    /** Validates and writes the value (atomically, 0600); see {@link #check}. */
    public void set(String key, String value) {
        save(checked(key, value));
        values.put(key, value);
    }

    /**
     * Refuses what {@link #set} would refuse, without writing: the key and value ({@link ConfigKey#validate}),
     * and {@code boundary.guard = daemon} without a {@code boundary.socket} (the daemon client talks only to a
     * socket the owner named).
     */
    public void check(String key, String value) { checked(key, value); }

    private TreeMap<String, String> checked(String key, String value) {
        ConfigKey.validate(key, value);
        if (key.equals(ConfigKey.STORAGE_BACKEND.key()) && !value.equals(get(ConfigKey.STORAGE_BACKEND))) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "storage.backend is fixed when the vault is created; this vault"
                    + " uses " + get(ConfigKey.STORAGE_BACKEND) + " (move the data with a backup and restore instead)");
        }
        TreeMap<String, String> next = new TreeMap<>(values);
        next.put(key, value);
        if ("daemon".equals(next.getOrDefault(ConfigKey.BOUNDARY_GUARD.key(), ConfigKey.BOUNDARY_GUARD.defaultValue()))
                && next.getOrDefault(ConfigKey.BOUNDARY_SOCKET.key(), "").isBlank()) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.guard = daemon needs boundary.socket, the daemon's"
                    + " absolute socket path: set it first (`vault boundary discover` proposes candidates)");
        }
        return next;
    }

    /** Writes the settings; retired keys are not written back (they were noted on load). */
    private void save(Map<String, String> all) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                if (!(node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>()) instanceof Map<?, ?> child)) {
                    throw clash(e.getKey());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> table = (Map<String, Object>) child;
                node = table;
            }
            if (node.putIfAbsent(parts[parts.length - 1], e.getValue()) != null) throw clash(e.getKey());
        }
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, "# Memory Vault configuration; keys are documented in docs/CONFIG.md\n"
                    + (tree.isEmpty() ? "" : TOML.writeValueAsString(tree)),
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            // rename(2) replaces a link at config.toml itself; its target is never written
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
    }

    private static InvalidInputException clash(String key) {
        return new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " clashes with another key (one is a table of the other)");
    }

    /** Writes the file with no settings, if it does not exist. */
    public void createIfMissing() {
        if (!Files.exists(file)) save(values);
    }

    public VaultSettings settings() {
        return new VaultSettings(duration(ConfigKey.EPHEMERAL_TTL), Long.parseLong(get(ConfigKey.CONTENT_MAX_BYTES)),
                duration(ConfigKey.UNLOCK_TTL), KdfPreset.parse(get(ConfigKey.KDF_PRESET)), lockdownExitByAnySecret());
    }

    public Duration duration(ConfigKey key) { return Durations.parse(get(key)); }

    public Set<String> ignoredInterfaces() {
        String v = get(ConfigKey.BOUNDARY_IGNORE_INTERFACES).strip();
        if (v.isEmpty()) return Set.of();
        return Set.of(v.split("\\s*,\\s*"));
    }
}
