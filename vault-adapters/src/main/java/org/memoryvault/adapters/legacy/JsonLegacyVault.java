package org.memoryvault.adapters.legacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.LegacyMemory;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.LegacyCipher;
import org.memoryvault.domain.port.LegacyVault;

/**
 * A backup file of the Python original (docs/IMPORT.md, "Legacy backups") as a legacy vault: a
 * JSON container ({@code version}, {@code salt}, {@code nonce}, {@code ciphertext}, base64) whose
 * secretbox, under Argon2id of the backup passphrase, holds a JSON payload of memories and
 * profiles. A backup carries no recall log: the import brings memories only.
 */
public final class JsonLegacyVault implements LegacyVault {
    /** A legacy backup is one JSON document decrypted whole: larger than this is refused before anything is run. */
    static final long MAX_FILE_BYTES = 512L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Profile> profiles;
    private final List<LegacyMemory> memories;
    private final String backupId;

    private JsonLegacyVault(List<Profile> profiles, List<LegacyMemory> memories, String backupId) {
        this.profiles = List.copyOf(profiles);
        this.memories = List.copyOf(memories);
        this.backupId = backupId;
    }

    /** Opens {@code file} with the backup passphrase; a wrong passphrase (or a changed file) is {@code ACCESS_WRONG_SECRET}. */
    public static JsonLegacyVault open(Path file, SlotSecret passphrase, LegacyCipher cipher) {
        JsonNode container = container(file);
        byte[] salt = base64(container, "salt", 16);
        byte[] nonce = base64(container, "nonce", 24);
        byte[] sealed = base64(container, "ciphertext", -1);
        byte[] key = cipher.passphraseKey(passphrase, salt);
        Optional<Plaintext> opened;
        try {
            opened = cipher.open(key, nonce, sealed);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        if (opened.isEmpty()) {
            // secretbox cannot tell a wrong key from a changed file: the original has no key check
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the legacy backup does not open with this passphrase"
                    + " (a wrong passphrase, or the file was changed)");
        }
        try (Plaintext payload = opened.get()) {
            return parse(payload.revealForCrypto());
        }
    }

    /** The backup's id (from its payload). */
    public String backupId() { return backupId; }

    private static JsonNode container(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, file + " is not a file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, file + " is larger than any legacy backup this reads (512 MiB)");
            }
            JsonNode c = JSON.readTree(Files.readAllBytes(file));
            if (c == null || !c.isObject() || !"1.0".equals(c.path("version").asText(null))) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, file + " is not a backup of the Python Memory Vault (version 1.0)");
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, file + " is not a backup of the Python Memory Vault (not JSON)");
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] base64(JsonNode c, String field, int length) {
        JsonNode v = c.get(field);
        try {
            byte[] b = Base64.getDecoder().decode(v == null || !v.isTextual() ? "!" : v.asText());
            if (length >= 0 && b.length != length) throw new IllegalArgumentException("length");
            return b;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the legacy backup's " + field + " is not "
                    + (length >= 0 ? length + " bytes of " : "") + "base64");
        }
    }

    private static JsonLegacyVault parse(byte[] payload) {
        JsonNode p;
        try {
            p = JSON.readTree(payload);
        } catch (IOException e) {
            throw damaged("its payload is not JSON");
        }
        if (p == null || !p.isObject() || !p.path("memories").isArray() || !p.path("encryption_profiles").isArray()) {
            throw damaged("its payload has no memories or profiles");
        }
        List<Profile> profiles = new ArrayList<>();
        for (JsonNode row : p.get("encryption_profiles")) {
            profiles.add(new Profile(text(row, "profile_id"), text(row, "key_source"), row.path("exportable").asLong(0) != 0));
        }
        List<LegacyMemory> memories = new ArrayList<>();
        for (JsonNode row : p.get("memories")) {
            if (!row.isObject()) throw damaged("a memory that is not an object");
            JsonNode level = row.get("classification");
            if (level == null || !level.canConvertToInt()) throw damaged("a memory without a classification");
            memories.add(new LegacyMemory(text(row, "memory_id"), text(row, "created_at"), text(row, "created_by"), level.asInt(),
                    text(row, "encryption_profile"), text(row, "content_hash"), blob(row, "ciphertext"), blob(row, "nonce"),
                    blob(row, "salt"), optionalText(row, "intent_ref"), optionalText(row, "value_metadata"),
                    optionalText(row, "access_policy"), row.path("tombstoned").asLong(0) != 0, optionalText(row, "tombstoned_at"),
                    optionalText(row, "tombstone_reason")));
        }
        memories.sort(Comparator.comparing(LegacyMemory::createdAt).thenComparing(LegacyMemory::id));
        return new JsonLegacyVault(profiles, memories, Optional.ofNullable(optionalText(p, "backup_id")).orElse("unknown"));
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        if (v == null || !v.isValueNode() || v.isNull()) throw damaged("a row without " + field);
        return v.asText();
    }

    private static @Nullable String optionalText(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static byte @Nullable [] blob(JsonNode row, String field) {
        String t = optionalText(row, field);
        if (t == null) return null;
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw damaged("a memory's " + field + " is not base64");
        }
    }

    private static IntegrityException damaged(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the legacy backup is damaged: " + what, null);
    }

    @Override public List<Profile> profiles() { return profiles; }

    @Override public void forEachMemory(Consumer<LegacyMemory> sink) { memories.forEach(sink); }

    @Override public long memoryCount() { return memories.size(); }

    @Override public List<Recall> recalls() { return List.of(); }

    @Override public Optional<Root> newestRoot() { return Optional.empty(); }

    @Override public void close() {
        // the payload was parsed into these rows; nothing else is held
    }
}
