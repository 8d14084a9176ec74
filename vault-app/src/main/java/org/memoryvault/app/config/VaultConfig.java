package org.memoryvault.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
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
 * are refused on {@code set}. On load, an unknown key or an invalid value is kept aside as a
 * {@link Problem} (file, line, key, why): every command but {@code config} then refuses to run
 * ({@link #requireValid}), so a typo never silently weakens a gate, while {@code config list},
 * {@code set} and {@code unset} still work to repair the file. Numbers and booleans are written as
 * TOML numbers and booleans ({@link ConfigKey#typed}).
 */
public final class VaultConfig {
    public static final String FILE_NAME = "config.toml";
    private static final TomlMapper TOML = new TomlMapper();

    private final Path file;
    private final TreeMap<String, String> values;
    private final TreeMap<String, String> retired;
    private final TreeMap<String, Problem> problems;

    /** A key of config.toml that is unknown or holds an invalid value: kept as written, ignored, and reported. */
    public record Problem(String key, String value, int line, String reason) {
        /** How it is reported: file, line, key, why, and the repair. */
        public String describe(Path file) {
            String k = ConfigKey.shownKey(key);
            java.util.Optional<ConfigKey> known = ConfigKey.find(key);
            String repair = known.isPresent()
                    ? "repair it with `vault config set " + k + " VALUE` or `vault config unset " + k + "`"
                    : "remove it with `vault config unset " + k + "`" + ConfigKey.closest(key).map(c -> " (did you mean " + c + "?)").orElse("");
            return file + (line > 0 ? " line " + line : "") + ": " + reason + "; " + repair + ", or edit the file";
        }
    }

    private VaultConfig(Path file, TreeMap<String, String> values, TreeMap<String, String> retired, TreeMap<String, Problem> problems) {
        this.file = file;
        this.values = values;
        this.retired = retired;
        this.problems = problems;
    }

    /** Loads {@code <vaultDir>/config.toml}; a missing file means all defaults. */
    public static VaultConfig load(Path vaultDir) {
        Path file = vaultDir.resolve(FILE_NAME);
        return parse(file, Files.exists(file) ? read(file) : null);
    }

    /** The bytes of {@code file} ({@code null} if there is none). */
    private static byte @org.jspecify.annotations.Nullable [] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot read " + file, e);
        }
    }

    /** The settings in {@code bytes}, the content of {@code file} (none: no file). */
    private static VaultConfig parse(Path file, byte @org.jspecify.annotations.Nullable [] bytes) {
        TreeMap<String, String> values = new TreeMap<>();
        Map<String, Integer> lines = Map.of();
        if (bytes != null) {
            try {
                String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                Map<?, ?> tree = TOML.readValue(text, Map.class);
                flatten("", tree, values);
                lines = keyLines(text);
            } catch (JacksonException e) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, file + " is not valid TOML (line "
                        + e.getLocation().getLineNr() + "): fix or delete that line with an editor");
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new InvalidInputException(ErrorCode.INPUT_CONFIG, file + " is not UTF-8 text: fix it with an editor");
            }
        }
        TreeMap<String, String> retired = new TreeMap<>();
        TreeMap<String, Problem> problems = new TreeMap<>();
        for (var it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            java.util.Optional<String> why = ConfigKey.retiredReason(e.getKey());
            if (why.isPresent()) {
                retired.put(e.getKey(), why.get());
                it.remove();
                continue;
            }
            try {
                ConfigKey.validate(e.getKey(), e.getValue());
            } catch (InvalidInputException invalid) {
                problems.put(e.getKey(), new Problem(e.getKey(), e.getValue(), lines.getOrDefault(e.getKey(), 0), invalid.getMessage()));
                it.remove();
            }
        }
        return new VaultConfig(file, values, retired, problems);
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else out.put(key, String.valueOf(e.getValue()));
        }
    }

    private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("\\s*\\[\\s*([^\\[\\]]+?)\\s*]\\s*(#.*)?");
    private static final java.util.regex.Pattern ASSIGNMENT = java.util.regex.Pattern.compile("\\s*([A-Za-z0-9_.'\"\\- ]+?)\\s*=.*");

    /**
     * The line each dotted key is set on, for messages only (the TOML library parses the file; this
     * follows {@code [table]} headers and {@code a.b = ...} lines, and quietly misses anything fancier).
     */
    private static Map<String, Integer> keyLines(String text) {
        Map<String, Integer> out = new java.util.HashMap<>();
        String table = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher t = TABLE.matcher(lines[i]);
            if (t.matches()) {
                table = unquote(t.group(1)) + ".";
                continue;
            }
            java.util.regex.Matcher a = ASSIGNMENT.matcher(lines[i]);
            if (a.matches()) out.putIfAbsent(table + unquote(a.group(1)), i + 1);
        }
        return out;
    }

    private static String unquote(String dotted) {
        return dotted.replace("\"", "").replace("'", "").replaceAll("\\s*\\.\\s*", ".").strip();
    }

    /** Keys of config.toml that are unknown or hold an invalid value (ignored until repaired). */
    public Map<String, Problem> problems() { return java.util.Collections.unmodifiableMap(problems); }

    /** {@code INPUT_CONFIG} naming file, line and key of the first {@link #problems problem}, if there is one. */
    public void requireValid() {
        if (!problems.isEmpty()) {
            Problem first = problems.firstEntry().getValue();
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, first.describe(file)
                    + (problems.size() > 1 ? " (" + (problems.size() - 1) + " more: `vault config list` shows them)" : ""));
        }
    }

    /** The file this configuration lives in. */
    public Path file() { return file; }

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

    /**
     * SHA-256 over "key=value\n" of every {@link #effective} setting, in key order (docs/FORMAT.md §12),
     * except a key added after owner seals existed ({@link ConfigKey#sealedOnlyWhenSet}) while it has its
     * default value: so a new setting leaves the seals of existing vaults valid.
     */
    public String digest() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            effective().forEach((k, v) -> {
                ConfigKey key = ConfigKey.find(k).orElse(null);
                if (key != null && key.sealedOnlyWhenSet() && v.equals(key.defaultValue())) return;
                sha.update((k + "=" + v + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            });
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** {@link #digest} of config.toml as it is on disk now (another process may have changed it since this one loaded it). */
    /** The vault directory this config.toml lives in. */
    private Path directory() { return java.util.Objects.requireNonNull(file.getParent(), "config.toml has a directory"); }

    public String fileDigest() {
        Path file = directory().resolve(FILE_NAME);
        byte[] bytes = read(file);
        FileDigest last = lastRead;
        if (last != null && Arrays.equals(last.bytes(), bytes)) return last.digest();
        String digest = parse(file, bytes).digest();
        lastRead = new FileDigest(bytes, digest);
        return digest;
    }

    /** The file as last read by {@link #fileDigest} (it runs in every operation of a long-running process) and its digest. */
    private static final class FileDigest {
        private final byte @org.jspecify.annotations.Nullable [] bytes;
        private final String digest;

        FileDigest(byte @org.jspecify.annotations.Nullable [] bytes, String digest) {
            this.bytes = bytes;
            this.digest = digest;
        }

        byte @org.jspecify.annotations.Nullable [] bytes() { return bytes; }

        String digest() { return digest; }
    }

    private volatile @org.jspecify.annotations.Nullable FileDigest lastRead;

    /** Reads config.toml again (inside an owner ceremony, so a change another owner process made is kept). */
    public synchronized void reload() {
        VaultConfig fresh = load(directory());
        values.clear();
        values.putAll(fresh.values);
        retired.clear();
        retired.putAll(fresh.retired);
        problems.clear();
        problems.putAll(fresh.problems);
    }

    public boolean lockdownExitByAnySecret() { return "any".equals(get(ConfigKey.LOCKDOWN_EXIT_SECRET)); }

    /** Validates and writes the value (atomically, 0600); see {@link #check}. */
    public void set(String key, String value) {
        save(checked(key, value), key);
        values.put(key, value);
        problems.remove(key);
    }

    /** Refuses what {@link #unset} would refuse: the fixed {@code storage.backend}, and removing the socket the daemon guard needs. */
    public void checkUnset(String key) {
        if (key.equals(ConfigKey.STORAGE_BACKEND.key()) && values.containsKey(key)) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "storage.backend is fixed when the vault is created");
        }
        if (key.equals(ConfigKey.BOUNDARY_SOCKET.key()) && "daemon".equals(get(ConfigKey.BOUNDARY_GUARD))) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "boundary.guard = daemon needs boundary.socket: set boundary.guard"
                    + " to local first");
        }
        if (!values.containsKey(key) && !problems.containsKey(key)) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " is not set in " + file);
        }
    }

    /** Removes the key from config.toml (atomically, 0600), so its default applies; see {@link #checkUnset}. */
    public void unset(String key) {
        checkUnset(key);
        TreeMap<String, String> next = new TreeMap<>(values);
        next.remove(key);
        save(next, key);
        values.remove(key);
        problems.remove(key);
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

    /**
     * Writes the settings, with the problem keys as they were (except {@code changed}, which the
     * caller sets or removes); retired keys are not written back (they were noted on load).
     */
    private void save(Map<String, String> valid, String changed) {
        Map<String, Object> all = new TreeMap<>();
        problems.forEach((k, p) -> { if (!k.equals(changed)) all.put(k, p.value()); });
        valid.forEach((k, v) -> all.put(k, ConfigKey.typed(k, v)));
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : all.entrySet()) {
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
        String text;
        try {
            text = "# Memory Vault configuration; keys are documented in docs/CONFIG.md\n"
                    + (tree.isEmpty() ? "" : TOML.writeValueAsString(tree));
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
        requireRoundTrip(text, all);
        try {
            previous = Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(file) : null;
            Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            // rename(2) replaces a link at config.toml itself; its target is never written
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
    }

    /**
     * Refuses to write a file that would not read back as exactly {@code expected}: a key kept as a
     * problem must never come back as another (a quoted {@code "a.b."} would otherwise be written as
     * {@code a.b}), and no value may change on its way through TOML.
     */
    private void requireRoundTrip(String text, Map<String, Object> expected) {
        TreeMap<String, String> read = new TreeMap<>();
        try {
            flatten("", TOML.readValue(text, Map.class), read);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "the settings cannot be written as TOML; edit " + file + " by hand");
        }
        TreeMap<String, String> want = new TreeMap<>();
        expected.forEach((k, v) -> want.put(k, String.valueOf(v)));
        if (!read.equals(want)) {
            java.util.Set<String> odd = new java.util.TreeSet<>(want.keySet());
            odd.removeAll(read.keySet());
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, file + " holds a key that cannot be written back as it is ("
                    + String.join(", ", odd.stream().map(ConfigKey::shownKey).toList()) + "); remove it with an editor, then repeat");
        }
    }

    private @org.jspecify.annotations.Nullable String previous;

    /** Puts config.toml back as it was before the last {@link #set} or {@link #unset} of this process (a failed ceremony). */
    public synchronized void revert() {
        String before = previous;
        if (before == null) return;
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, before, java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            previous = null;
            reload();
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot put " + file + " back", e);
        }
    }

    private static InvalidInputException clash(String key) {
        return new InvalidInputException(ErrorCode.INPUT_CONFIG, key + " clashes with another key (one is a table of the other)");
    }

    /** Writes the file with no settings, if it does not exist. */
    public void createIfMissing() {
        if (!Files.exists(file)) save(values, "");
    }

    public VaultSettings settings() {
        return new VaultSettings(duration(ConfigKey.EPHEMERAL_TTL), Long.parseLong(get(ConfigKey.CONTENT_MAX_BYTES)),
                duration(ConfigKey.UNLOCK_TTL), KdfPreset.parse(get(ConfigKey.KDF_PRESET)), lockdownExitByAnySecret(),
                get(ConfigKey.TOKEN_REQUIRED));
    }

    public Duration duration(ConfigKey key) { return Durations.parse(get(key)); }

    public Set<String> ignoredInterfaces() {
        String v = get(ConfigKey.BOUNDARY_IGNORE_INTERFACES).strip();
        if (v.isEmpty()) return Set.of();
        return Set.of(v.split("\\s*,\\s*"));
    }
}
