package org.memoryvault.app.cli;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.interfaces.PwHash;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a vault in the Python original's format (../shared/reference/legacy-format.md; our
 * docs/IMPORT.md) with SQLite and libsodium alone, for the import tests: its schema, its key
 * files, memories sealed with secretbox (a key file's raw key, or Argon2id at 4 passes and 1 GiB
 * of the memory's own salt), and recalls with their Merkle leaves and signed roots.
 */
final class LegacyVaultWriter implements AutoCloseable {
    static final LazySodiumJava SODIUM = new LazySodiumJava(new SodiumJava(), StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    final Path home;
    private final Connection c;
    private final List<String> leaves = new ArrayList<>();
    private final byte[] signingSeed = new byte[32];
    private long rootSeq;

    LegacyVaultWriter(Path home) throws Exception {
        this.home = home;
        Files.createDirectories(home.resolve("keys"));
        c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
        RANDOM.nextBytes(signingSeed);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE encryption_profiles (profile_id TEXT PRIMARY KEY, cipher TEXT NOT NULL DEFAULT 'XSalsa20-Poly1305',"
                    + " key_source TEXT NOT NULL, rotation_policy TEXT DEFAULT 'manual', exportable INTEGER NOT NULL DEFAULT 0,"
                    + " last_rotation TEXT, rotation_count INTEGER DEFAULT 0)");
            s.execute("CREATE TABLE memories (memory_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
                    + " classification INTEGER NOT NULL, encryption_profile TEXT NOT NULL, content_hash TEXT NOT NULL, ciphertext BLOB,"
                    + " nonce BLOB, salt BLOB, intent_ref TEXT, value_metadata TEXT, access_policy TEXT, audit_proof TEXT, sealed_blob BLOB,"
                    + " tombstoned INTEGER DEFAULT 0, tombstoned_at TEXT, tombstone_reason TEXT, effort_receipt_id TEXT, chain_anchor_id TEXT)");
            s.execute("CREATE TABLE recall_log (request_id TEXT PRIMARY KEY, memory_id TEXT NOT NULL, requester TEXT NOT NULL,"
                    + " timestamp TEXT NOT NULL, approved INTEGER NOT NULL, justification TEXT)");
            s.execute("CREATE TABLE merkle_leaves (leaf_id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE,"
                    + " leaf_hash TEXT NOT NULL)");
            s.execute("CREATE TABLE merkle_roots (seq INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL,"
                    + " leaf_count INTEGER NOT NULL, signature TEXT NOT NULL, key_epoch INTEGER DEFAULT 0)");
            s.execute("CREATE TABLE vault_state (id INTEGER PRIMARY KEY CHECK (id = 1), lockdown INTEGER NOT NULL DEFAULT 0,"
                    + " lockdown_since TEXT, lockdown_reason TEXT)");
            s.execute("INSERT INTO vault_state VALUES (1, 0, NULL, NULL)");
            s.execute("INSERT INTO encryption_profiles (profile_id, key_source, rotation_policy, exportable) VALUES"
                    + " ('default-passphrase', 'HumanPassphrase', 'manual', 0), ('static-keyfile', 'KeyFile', 'never', 0)");
        }
    }

    void profile(String id, String keySource) throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO encryption_profiles (profile_id, key_source, exportable) VALUES (?, ?, 1)")) {
            p.setString(1, id);
            p.setString(2, keySource);
            p.executeUpdate();
        }
    }

    /** Writes {@code keys/<profile>.key}: 32 raw bytes, the first one a space (the original's own loader strips it, and fails). */
    byte[] keyFile(String profile) throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        key[0] = ' ';
        Files.write(home.resolve("keys").resolve(profile + ".key"), key);
        return key;
    }

    static byte[] passphraseKey(String passphrase, byte[] salt) {
        byte[] key = new byte[32];
        byte[] pw = passphrase.getBytes(StandardCharsets.UTF_8);
        if (!SODIUM.cryptoPwHash(key, key.length, pw, pw.length, salt, 4, new NativeLong(1L << 30), PwHash.Alg.PWHASH_ALG_ARGON2ID13)) {
            throw new IllegalStateException("Argon2id failed");
        }
        return key;
    }

    /** A memory row; {@code key} null leaves the content out (a non-exportable backup's row), {@code salt} null for key files. */
    void memory(String id, String createdAt, int level, String profile, String content, byte[] key, byte[] salt, String intent,
                String metadata, String policy, String tombstonedAt, String tombstoneReason) throws Exception {
        byte[] plain = content.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        byte[] box = null;
        if (key != null) {
            box = new byte[plain.length + 16];
            if (!SODIUM.cryptoSecretBoxEasy(box, plain, plain.length, nonce, key)) throw new IllegalStateException("secretbox failed");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO memories (memory_id, created_at, created_by, classification,"
                + " encryption_profile, content_hash, ciphertext, nonce, salt, intent_ref, value_metadata, access_policy, tombstoned,"
                + " tombstoned_at, tombstone_reason) VALUES (?, ?, 'agent', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, createdAt);
            p.setInt(3, level);
            p.setString(4, profile);
            p.setString(5, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)));
            p.setBytes(6, box);
            p.setBytes(7, key == null ? null : nonce);
            p.setBytes(8, salt);
            p.setString(9, intent);
            p.setString(10, metadata);
            p.setString(11, policy);
            p.setInt(12, tombstonedAt != null ? 1 : 0);
            p.setString(13, tombstonedAt);
            p.setString(14, tombstoneReason);
            p.executeUpdate();
        }
    }

    /** A logged recall: its recall_log row, its leaf, and a signed root over every leaf so far. */
    void recall(String requestId, String memoryId, String requester, String timestamp, boolean approved, String justification)
            throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO recall_log VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, requestId);
            p.setString(2, memoryId);
            p.setString(3, requester);
            p.setString(4, timestamp);
            p.setInt(5, approved ? 1 : 0);
            p.setString(6, justification);
            p.executeUpdate();
        }
        String leaf = doubleSha(requestId + "|" + memoryId + "|" + requester + "|" + timestamp + "|" + (approved ? 1 : 0) + "|"
                + (justification == null ? "" : justification));
        leaves.add(leaf);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO merkle_leaves (request_id, leaf_hash) VALUES (?, ?)")) {
            p.setString(1, requestId);
            p.setString(2, leaf);
            p.executeUpdate();
        }
        String root = root(leaves);
        rootSeq++;
        byte[] pk = new byte[32];
        byte[] sk = new byte[64];
        SODIUM.cryptoSignSeedKeypair(pk, sk, signingSeed);
        byte[] message = (rootSeq + "|" + root + "|" + timestamp).getBytes(StandardCharsets.UTF_8);
        byte[] signature = new byte[64];
        SODIUM.cryptoSignDetached(signature, message, message.length, sk);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO merkle_roots (seq, root_hash, timestamp, leaf_count, signature) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, rootSeq);
            p.setString(2, root);
            p.setString(3, timestamp);
            p.setInt(4, leaves.size());
            p.setString(5, Base64.getEncoder().encodeToString(signature));
            p.executeUpdate();
        }
    }

    /**
     * A backup file as the original writes one: the payload (every memory row as an object, all
     * columns in order, BLOBs base64, a non-exportable profile's content, nonce, salt and
     * sealed_blob null; every profile) as JSON, in a secretbox under Argon2id of {@code passphrase}
     * (4 passes, 1 GiB), in the container {version, salt, nonce, ciphertext}.
     */
    void backup(Path file, String passphrase) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var payload = json.createObjectNode();
        payload.put("backup_id", java.util.UUID.randomUUID().toString());
        payload.put("backup_type", "full");
        payload.putNull("parent_backup_id");
        payload.put("timestamp", "2026-11-30T10:00:00.123456+00:00Z");
        payload.put("description", "test");
        var memories = payload.putArray("memories");
        java.util.Set<String> exportable = new java.util.HashSet<>();
        var profiles = json.createArrayNode();
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT * FROM encryption_profiles")) {
            while (rs.next()) {
                var row = profiles.addObject();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.putPOJO(rs.getMetaData().getColumnName(i), rs.getObject(i));
                if (rs.getInt("exportable") != 0) exportable.add(rs.getString("profile_id"));
            }
        }
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT * FROM memories")) {
            while (rs.next()) {
                var row = memories.addObject();
                boolean export = exportable.contains(rs.getString("encryption_profile"));
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String name = rs.getMetaData().getColumnName(i);
                    Object v = rs.getObject(i);
                    if (java.util.Set.of("ciphertext", "nonce", "salt", "sealed_blob").contains(name) && !export) v = null;
                    if (v instanceof byte[] b) row.put(name, Base64.getEncoder().encodeToString(b));
                    else row.putPOJO(name, v);
                }
            }
        }
        payload.put("memory_count", memories.size());
        payload.set("encryption_profiles", profiles);
        payload.put("vault_version", "1.0.0");
        byte[] plain = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(payload);
        byte[] salt = new byte[16];
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] key = passphraseKey(passphrase, salt);
        byte[] box = new byte[plain.length + 16];
        if (!SODIUM.cryptoSecretBoxEasy(box, plain, plain.length, nonce, key)) throw new IllegalStateException("secretbox failed");
        var container = json.createObjectNode();
        container.put("version", "1.0");
        container.put("salt", Base64.getEncoder().encodeToString(salt));
        container.put("nonce", Base64.getEncoder().encodeToString(nonce));
        container.put("ciphertext", Base64.getEncoder().encodeToString(box));
        Files.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(container));
    }

    void sql(String statement) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The tree as the reference describes it, written here from that description (not from LegacyMerkle). */
    static String root(List<String> leaves) throws Exception {
        List<String> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<String> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                String a = level.get(i);
                String b = i + 1 < level.size() ? level.get(i + 1) : a;
                up.add(doubleSha(new java.math.BigInteger(a, 16).compareTo(new java.math.BigInteger(b, 16)) <= 0 ? a + b : b + a));
            }
            level = up;
        }
        return level.get(0);
    }

    static String doubleSha(String s) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(d.digest(d.digest(s.getBytes(StandardCharsets.UTF_8))));
    }

    @Override public void close() throws Exception { c.close(); }
}
