package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.goterl.lazysodium.Sodium;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.crypto.internal.Libsodium;

/**
 * Key tiers, tried as the hostile agent of docs/THREAT-MODEL.md would: the same Unix user as the
 * vault, holding the key file it needs for levels 0-2 (and its own principal credential), with a
 * copy of the vault directory and libsodium, and no Memory Vault code at all on its side.
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class KeyTiersCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OWNER_PASSPHRASE = "the owner's own passphrase";

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;
    final Sodium sodium = Libsodium.sharedBinding().getSodium();

    @BeforeEach
    void init() throws Exception {
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), OWNER_PASSPHRASE);
        Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true,
                "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    Launcher.Run owner(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--passphrase-file");
        all.add(ownerPass.toString());
        Launcher.Run r = vault.run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    String store(Launcher as, String content, int level, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("store", "--classification", String.valueOf(level), "--json"));
        args.addAll(List.of(more));
        Launcher.Run r = as.runWithInput(content.getBytes(StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    Path addPrincipal(String name, int clearance, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("principal", "add", name, "--clearance", String.valueOf(clearance), "--json"));
        args.addAll(List.of(more));
        return Path.of(JSON.readTree(owner(args.toArray(String[]::new)).stdout()).get("credential_file").asText());
    }

    Launcher agent(Path credential) { return new Launcher(vault.home()).env("MEMORY_VAULT_PRINCIPAL_FILE", credential.toString()); }

    @Test
    void theAgent_withTheKeyFileAndACopyOfTheVault_opensLevels0To2_noLevel3To5_andAfterOneApprovalExactlyThatMemory()
            throws Exception {
        owner("config", "set", "approval.gate", "queue");
        Map<Integer, String> ids = new LinkedHashMap<>();
        for (int level = 0; level <= 5; level++) ids.put(level, store(vault, "secret of level " + level, level));
        Path credential = addPrincipal("planner", 3);

        // What the agent holds: the key file, its credential, and a copy of the vault directory.
        byte[] keyFile = Files.readAllBytes(vault.home().resolve("keys/default.key"));
        byte[] cred = Files.readAllBytes(credential);
        Map<String, Row> rows = readRows(copyOfTheVault("copy1"));
        byte[] tier2 = unwrapKeyFileSlot(copyOfTheVault("copy1b"), keyFile);

        for (int level = 0; level <= 5; level++) {
            Row row = rows.get(ids.get(level));
            if (level <= 2) {
                byte[] contentKey = openLowWrappedKey(row, tier2);
                assertThat(contentKey).as("level " + level + " opens with the key file").isNotNull();
                assertThat(decrypt(row, contentKey)).isEqualTo("secret of level " + level);
            } else {
                assertThat(row.wrappedKey).hasSize(80);
                for (byte[] candidate : everythingTheAgentCanDerive(tier2, keyFile, cred)) {
                    assertThat(decrypt(row, candidate)).as("content of level " + level + " under an agent key").isNull();
                    assertThat(boxOpen(row.wrappedKey, candidate)).as("level " + level + " content key").isNull();
                }
            }
        }

        // The agent asks for the level-3 memory; the owner approves; the approval row now holds a key for it.
        Launcher planner = agent(credential);
        Launcher.Run pending = planner.run("recall", ids.get(3), "--justification", "plan the launch", "--json");
        assertThat(pending.exit()).as(pending.toString()).isEqualTo(75);
        String approval = JSON.readTree(pending.stdout()).at("/pending/approval_id").asText();
        owner("approvals", "approve", approval);

        Path copy = copyOfTheVault("copy2");
        Map<String, Row> after = readRows(copy);
        byte[] released = releasedKey(copy, approval);
        byte[] contentKey = boxOpen(released, boxSeed(cred));
        assertThat(contentKey).as("the credential opens what the owner released to it").isNotNull();
        assertThat(decrypt(after.get(ids.get(3)), contentKey)).isEqualTo("secret of level 3");
        for (int level = 4; level <= 5; level++) {
            assertThat(decrypt(after.get(ids.get(level)), contentKey)).as("and nothing else: level " + level).isNull();
        }
        String otherThree = store(vault, "another sealed secret", 3);
        Row other = readRows(copyOfTheVault("copy3")).get(otherThree);
        assertThat(decrypt(other, contentKey)).isNull();
        for (byte[] candidate : everythingTheAgentCanDerive(tier2, keyFile, cred)) {
            assertThat(boxOpen(other.wrappedKey, candidate)).isNull();
        }

        // Through the vault, the same: one granted recall with the approval, and the other sealed memory stays shut.
        Launcher.Run granted = planner.run("recall", ids.get(3), "--justification", "plan the launch", "--approval", approval);
        assertThat(granted.exit()).as(granted.toString()).isZero();
        assertThat(granted.out()).isEqualTo("secret of level 3");
    }

    @Test
    void anApproval_releasesOnlyTheMemoryItNamed_toTheAgentTheOwnerEnrolled_withinItsClearance() throws Exception {
        owner("config", "set", "approval.gate", "queue");
        String decoy = store(vault, "what colour is the sky", 3);
        String secret = store(vault, "the bank PIN is 9833", 3);
        String black = store(vault, "the launch code", 5);
        Path bobKey = addPrincipal("bob", 5);
        Launcher bob = agent(bobKey);
        Path db = vault.home().resolve("vault.db");

        // 1. bob moves the secret's wrapped key into the decoy's row, then asks for the decoy
        String approval = JSON.readTree(bob.run("recall", decoy, "--justification", "sky", "--json").stdout())
                .at("/pending/approval_id").asText();
        JsonNode listed = JSON.readTree(vault.run("approvals", "list", "--json").stdout()).get("approvals").get(0);
        assertThat(listed.get("memory_classification").asInt()).as("the owner sees what is asked for").isEqualTo(3);
        assertThat(listed.get("memory_created_by").asText()).isEqualTo("owner");
        byte[] decoyKey = column(db, "SELECT wrapped_key FROM memories WHERE id = '" + decoy + "'");
        sql(db, "UPDATE memories SET wrapped_key = (SELECT wrapped_key FROM memories WHERE id = '" + secret + "') WHERE id = '"
                + decoy + "'");
        Launcher.Run moved = vault.run("approvals", "approve", approval, "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(moved.exit()).as(moved.toString()).isEqualTo(5);
        assertThat(column(db, "SELECT released_key FROM approvals WHERE id = '" + approval + "'")).isNull();

        // 2. bob puts its decoy key back, but swaps the principal row's public key for one it made up
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var ps = c.prepareStatement("UPDATE memories SET wrapped_key = ? WHERE id = ?")) {
            ps.setBytes(1, decoyKey);
            ps.setString(2, decoy);
            ps.executeUpdate();
        }
        byte[] bobBox = column(db, "SELECT box_public_key FROM principals WHERE name = 'bob'");
        sql(db, "UPDATE principals SET box_public_key = randomblob(32) WHERE name = 'bob'");
        Launcher.Run swapped = vault.run("approvals", "approve", approval, "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(swapped.exit()).as(swapped.toString()).isEqualTo(5);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var ps = c.prepareStatement("UPDATE principals SET box_public_key = ? WHERE name = 'bob'")) {
            ps.setBytes(1, bobBox);
            ps.executeUpdate();
        }

        // 3. an approval row written by hand for a principal below the memory's level, or for level 5, releases nothing
        addPrincipal("carol", 1);
        long now = System.currentTimeMillis();
        sql(db, "INSERT INTO approvals (id, memory_id, requester, justification, requested_at, expires_at, status) VALUES ('"
                + "c".repeat(32) + "', '" + secret + "', 'carol', 'x', " + now + ", " + (now + 600_000) + ", 'pending')");
        assertThat(JSON.readTree(vault.run("approvals", "approve", "c".repeat(32), "--passphrase-file", ownerPass.toString(),
                "--json").stdout()).at("/error/code").asText()).isEqualTo("ACCESS_CLEARANCE");
        String five = JSON.readTree(bob.run("recall", black, "--justification", "launch", "--json").stdout())
                .at("/pending/approval_id").asText();
        assertThat(JSON.readTree(vault.run("approvals", "approve", five, "--passphrase-file", ownerPass.toString(), "--json")
                .stdout()).at("/error/code").asText()).isEqualTo("ACCESS_TOKEN");

        // 4. with the rows as the owner made them, the approval releases the decoy, and the decoy only
        owner("approvals", "approve", approval);
        assertThat(bob.run("recall", decoy, "--justification", "sky", "--approval", approval).out()).isEqualTo("what colour is the sky");
        byte[] released = column(db, "SELECT released_key FROM approvals WHERE id = '" + approval + "'");
        byte[] contentKey = boxOpen(released, boxSeed(Files.readAllBytes(bobKey)));
        assertThat(decrypt(readRows(copyOfTheVault("after")).get(secret), contentKey)).isNull();
        assertThat(vault.run("audit", "log", "--limit", "200").out()).contains("approval.approve.refused");
    }

    @Test
    void publicKeysReplacedInTheDatabase_areCaughtAtTheOwnersNextUnlock() throws Exception {
        String sealed = store(vault, "sealed before", 4);
        Path db = vault.home().resolve("vault.db");
        sql(db, "UPDATE profiles SET tier_public_keys = randomblob(96)");

        Launcher.Run ownersStore = vault.runWithInput("sealed after".getBytes(StandardCharsets.UTF_8), "store", "-c", "4",
                "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(ownersStore.exit()).as("the owner's own store unlocks with the passphrase and checks them").isEqualTo(5);
        Launcher.Run recall = vault.run("recall", sealed, "--justification", "x", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(recall.exit()).as("the owner seal covers them too: " + recall).isEqualTo(5);
        assertThat(JSON.readTree(recall.stdout()).at("/error/message").asText()).contains("public keys");
        Launcher.Run reseal = vault.run("reseal", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(reseal.exit()).as("nor can the owner seal keys the owner key does not derive: " + reseal).isEqualTo(5);
        assertThat(JSON.readTree(reseal.stdout()).at("/error/message").asText()).contains("public keys");
        Launcher.Run config = vault.run("config", "set", "approval.ttl", "5m", "--passphrase-file", ownerPass.toString(), "--json");
        assertThat(config.exit()).as("every owner ceremony checks them").isEqualTo(5);
        assertThat(JSON.readTree(config.stdout()).at("/error/code").asText()).isEqualTo("INTEGRITY_TAMPERED");

        // the owner repairs them: accepts their absence, then `profile upgrade` derives them again from the owner key
        sql(db, "UPDATE profiles SET tier_public_keys = NULL");
        owner("reseal");
        JsonNode repaired = JSON.readTree(owner("profile", "upgrade", "default", "--json").stdout());
        assertThat(repaired.get("resealed").asInt()).isZero();
        assertThat(owner("recall", sealed, "--justification", "x").out()).isEqualTo("sealed before");
    }

    private static void sql(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static byte[] column(Path db, String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }

    @Test
    void aPrincipalWithClearance1_storesAndRecallsUpTo1Only_aWrongOrRemovedCredentialIsRefused() throws Exception {
        Path credential = addPrincipal("scout", 1);
        Launcher scout = agent(credential);
        String mine = store(scout, "scouted", 1);
        String twos = store(vault, "private", 2);

        assertThat(scout.run("recall", mine, "--justification", "x").out()).isEqualTo("scouted");
        Launcher.Run above = scout.run("recall", twos, "--justification", "x", "--json");
        assertThat(above.exit()).isEqualTo(4);
        assertThat(JSON.readTree(above.stdout()).at("/error/code").asText()).isEqualTo("ACCESS_CLEARANCE");
        Launcher.Run storeAbove = scout.runWithInput("x".getBytes(StandardCharsets.UTF_8), "store", "-c", "2", "--json");
        assertThat(storeAbove.exit()).isEqualTo(4);
        assertThat(JSON.readTree(storeAbove.stdout()).at("/error/code").asText()).isEqualTo("ACCESS_CLEARANCE");

        JsonNode shown = JSON.readTree(vault.run("show", mine, "--json").stdout());
        assertThat(shown.toString()).contains("\"created_by\":\"scout\"");

        Launcher.Run named = vault.run("recall", twos, "--justification", "x", "--requester", "owner", "--json");
        assertThat(named.exit()).as("a name alone names nobody").isEqualTo(2);

        Path forged = Files.write(tmp.resolve("forged.key"), new byte[32]);
        Files.setPosixFilePermissions(forged, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Launcher.Run wrong = agent(forged).run("recall", mine, "--justification", "x", "--json");
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(JSON.readTree(wrong.stdout()).at("/error/code").asText()).isEqualTo("ACCESS_WRONG_SECRET");

        owner("principal", "remove", "scout");
        Launcher.Run removed = scout.run("recall", mine, "--justification", "x", "--json");
        assertThat(removed.exit()).isEqualTo(4);
        assertThat(JSON.readTree(removed.stdout()).at("/error/code").asText()).isEqualTo("ACCESS_WRONG_SECRET");
        assertThat(vault.run("audit", "log", "--limit", "100").out()).contains("principal.refused").contains("principal.remove");
    }

    @Test
    void theKeyFileAlone_neverOpensLevel3_andTheOwnersPassphraseDoes() throws Exception {
        String sealed = store(vault, "sealed by the owner", 3);
        Launcher.Run keyFileOnly = vault.run("recall", sealed, "--justification", "x", "--json");
        assertThat(keyFileOnly.exit()).as(keyFileOnly.toString()).isEqualTo(4);
        assertThat(owner("recall", sealed, "--justification", "x").out()).isEqualTo("sealed by the owner");
    }

    @Test
    void aRateLimitedPrincipal_isRefusedPastItsRate_andTheRefusalIsAudited() throws Exception {
        Launcher bursty = agent(addPrincipal("bursty", 1, "--rate", "2/h"));
        store(bursty, "one", 1);
        store(bursty, "two", 1);
        Launcher.Run third = bursty.runWithInput("three".getBytes(StandardCharsets.UTF_8), "store", "-c", "1", "--json");
        assertThat(third.exit()).isEqualTo(4);
        assertThat(JSON.readTree(third.stdout()).at("/error/code").asText()).isEqualTo("ACCESS_RATE");
        assertThat(vault.run("audit", "log", "--limit", "100").out()).contains("principal.refused").contains("ACCESS_RATE");
    }

    @Test
    void parallelRecalls_ofACooldownMemory_grantExactlyOne() throws Exception {
        String id = store(vault, "once an hour", 1, "--cooldown", "1h");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Launcher.Run>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(() -> vault.run("recall", id, "--justification", "race"));
            int granted = 0;
            for (Future<Launcher.Run> f : pool.invokeAll(calls)) if (f.get().exit() == 0) granted++;
            assertThat(granted).as("the cooldown is re-checked inside the grant transaction").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTerminalApproval_needsTheOwnersPassphrase_aYesFromTheAgentsPtyIsRefused() throws Exception {
        String id = store(vault, "sealed fact", 3);
        Path credential = addPrincipal("planner", 3);

        String yes = underATerminal(credential, "yes", id);
        assertThat(yes).contains("owner passphrase").doesNotContain("sealed fact");
        assertThat(underATerminal(credential, OWNER_PASSPHRASE, id)).contains("sealed fact");
        assertThat(vault.run("audit", "log", "--limit", "100").out()).contains("owner at terminal");
    }

    @Test
    void aProfileFromBeforeKeyTiers_upgradesInPlace_withOneOwnerUnlock() throws Exception {
        Path db = vault.home().resolve("vault.db");
        Map<Integer, String> ids = new LinkedHashMap<>();
        byte[] tier2;
        // Make the vault look like one written before key tiers: a passphrase slot holding the data key
        // only, no tier locks, and format-1 memories sealed directly under that key (FORMAT.md §2-5).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            ResultSet slot = s.executeQuery("SELECT slot_id, kdf_opslimit, kdf_memlimit, salt, nonce, wrapped_key FROM key_slots "
                    + "WHERE type = 'passphrase'");
            assertThat(slot.next()).isTrue();
            int slotId = slot.getInt(1);
            byte[] kek = new byte[32];
            byte[] password = OWNER_PASSPHRASE.getBytes(StandardCharsets.UTF_8);
            assertThat(sodium.crypto_pwhash(kek, 32, password, password.length, slot.getBytes(4), slot.getLong(2),
                    new com.sun.jna.NativeLong(slot.getLong(3)), 2)).isZero();
            byte[] ad = slotAd("default", 1, slotId, 1);
            byte[] wrapped = slot.getBytes(6);
            byte[] keys = new byte[64];
            assertThat(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(keys, new long[1], null, wrapped, wrapped.length, ad,
                    ad.length, slot.getBytes(5), kek)).isZero();
            slot.close();
            tier2 = Arrays.copyOf(keys, 32);
            byte[] nonce = random(24);
            byte[] v1 = new byte[48];
            assertThat(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(v1, new long[1], tier2, 32, ad, ad.length, null, nonce, kek))
                    .isZero();
            try (var ps = c.prepareStatement("UPDATE key_slots SET nonce = ?, wrapped_key = ? WHERE slot_id = ?")) {
                ps.setBytes(1, nonce);
                ps.setBytes(2, v1);
                ps.setInt(3, slotId);
                ps.executeUpdate();
            }
            s.executeUpdate("UPDATE profiles SET tier_public_keys = NULL, owner_escrow = NULL");
            s.executeUpdate("DELETE FROM owner_seals");                // nor owner seals (schema 5) yet, so its log names none
            s.executeUpdate("UPDATE audit_entries SET type = 'profile.create' WHERE type = 'owner.seal'");
            for (int level : new int[] {1, 4}) ids.put(level, insertFormat1(c, tier2, level, "old secret " + level));
        }
        Files.delete(vault.home().resolve("owner-seal.witness"));
        assertThat(vault.run("recall", ids.get(1), "--justification", "x").out()).isEqualTo("old secret 1");

        Launcher.Run upgraded = owner("profile", "upgrade", "default", "--json");
        JsonNode result = JSON.readTree(upgraded.stdout());
        assertThat(result.get("resealed").asInt()).isEqualTo(2);
        assertThat(result.get("slots_rewrapped").asInt()).isEqualTo(1);
        sql(db, "UPDATE audit_entries SET type = 'owner.seal' WHERE entry LIKE '%\"type\":\"owner.seal\"%'");  // undo the simulation

        Map<String, Row> rows = readRows(copyOfTheVault("upgraded"));
        assertThat(rows.get(ids.get(4)).wrappedKey).hasSize(80);
        for (byte[] candidate : everythingTheAgentCanDerive(tier2, Files.readAllBytes(vault.home().resolve("keys/default.key")), new byte[32])) {
            assertThat(boxOpen(rows.get(ids.get(4)).wrappedKey, candidate)).as("the key file no longer opens level 4").isNull();
        }
        assertThat(vault.run("recall", ids.get(1), "--justification", "x").out()).isEqualTo("old secret 1");
        assertThat(vault.run("recall", ids.get(4), "--justification", "x", "--json").exit()).isEqualTo(4);
        assertThat(owner("recall", ids.get(4), "--justification", "x").out()).isEqualTo("old secret 4");
        assertThat(vault.run("profile", "upgrade", "default", "--passphrase-file", ownerPass.toString(), "--json").exit())
                .as("once is enough").isEqualTo(2);
        assertThat(vault.run("audit", "verify").exit()).isZero();
    }

    /** A memory row of format 1, written by hand: content and commitment under the profile's old data key. */
    private String insertFormat1(Connection c, byte[] dataKey, int level, String content) throws Exception {
        String id = UUID.randomUUID().toString();
        long createdAt = 1_700_000_000_000L + level;
        Row row = new Row(id, level, "default", 1, createdAt, "owner", random(24), null, null);
        byte[] ad = memoryAd(row, 1);
        byte[] plain = content.getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = new byte[plain.length + 16];
        assertThat(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(ciphertext, new long[1], plain, plain.length, ad, ad.length,
                null, row.nonce, dataKey)).isZero();
        byte[] commitKey = new byte[32];
        assertThat(sodium.crypto_kdf_derive_from_key(commitKey, 32, 1, "mvcommit".getBytes(StandardCharsets.US_ASCII), dataKey)).isZero();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(commitKey, "HmacSHA256"));
        UUID uuid = UUID.fromString(id);
        mac.update(java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        String commitment = java.util.HexFormat.of().formatHex(mac.doFinal(plain));
        try (var ps = c.prepareStatement("INSERT INTO memories (id, created_at, created_by, classification, profile_id, key_version, "
                + "metadata, commitment, nonce, ciphertext, search_text) VALUES (?, ?, 'owner', ?, 'default', 1, '{}', ?, ?, ?, '')")) {
            ps.setString(1, id);
            ps.setLong(2, createdAt);
            ps.setInt(3, level);
            ps.setString(4, commitment);
            ps.setBytes(5, row.nonce);
            ps.setBytes(6, ciphertext);
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO memory_search (rowid, search_text) VALUES (last_insert_rowid(), '')");
        }
        return id;
    }

    private byte[] random(int n) {
        byte[] out = new byte[n];
        sodium.randombytes_buf(out, n);
        return out;
    }

    private String underATerminal(Path credential, String typed, String id) throws Exception {
        return Launcher.recallUnderATerminal(vault.home(), credential.toString(), typed, id);
    }

    // --- the agent's side: SQLite and libsodium only -----------------------------------------------

    record Row(String id, int level, String profile, int keyVersion, long createdAt, String createdBy, byte[] nonce,
               byte[] ciphertext, byte[] wrappedKey) {}

    private Path copyOfTheVault(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(vault.home())) {
            for (Path from : files.toList()) {
                Path target = to.resolve(vault.home().relativize(from).toString());
                if (Files.isDirectory(from)) Files.createDirectories(target);
                else Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static Map<String, Row> readRows(Path copy) throws Exception {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("vault.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, classification, profile_id, key_version, created_at, created_by, nonce, "
                     + "ciphertext, wrapped_key FROM memories")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
                        rs.getString(6), rs.getBytes(7), rs.getBytes(8), rs.getBytes(9)));
            }
        }
        return rows;
    }

    private byte[] unwrapKeyFileSlot(Path copy, byte[] keyFile) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("vault.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT k.slot_id, k.nonce, k.wrapped_key, p.key_version FROM key_slots k "
                     + "JOIN profiles p ON p.id = k.profile_id WHERE k.type = 'keyfile' AND k.profile_id = 'default'")) {
            assertThat(rs.next()).isTrue();
            byte[] wrapped = rs.getBytes(3);
            assertThat(wrapped).as("a key-file slot holds the level-2 tier key only").hasSize(48);
            byte[] ad = slotAd("default", rs.getInt(4), rs.getInt(1), 2);
            byte[] tier2 = new byte[32];
            assertThat(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(tier2, new long[1], null, wrapped, wrapped.length,
                    ad, ad.length, rs.getBytes(2), keyFile)).isZero();
            return tier2;
        }
    }

    private static byte[] releasedKey(Path copy, String approval) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("vault.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT released_key FROM approvals WHERE id = '" + approval + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }

    /** Every 32-byte key the agent can compute from what it holds. */
    private List<byte[]> everythingTheAgentCanDerive(byte[] tier2, byte[] keyFile, byte[] cred) {
        List<byte[]> keys = new ArrayList<>(List.of(tier2, keyFile, cred, boxSeed(cred)));
        byte[] k = tier2;
        for (int n = 1; n >= 0; n--) {
            k = blake2b(k, "memory-vault/tier/" + n);
            keys.add(k);
        }
        for (byte[] base : List.of(tier2, keyFile, cred)) {
            for (int level = 3; level <= 5; level++) keys.add(blake2b(base, "memory-vault/tier/" + level));
        }
        return keys;
    }

    private byte[] openLowWrappedKey(Row row, byte[] tier2) throws IOException {
        byte[] tier = tier2;
        for (int n = 1; n >= row.level; n--) tier = blake2b(tier, "memory-vault/tier/" + n);
        byte[] ad = memoryAd(row);
        byte[] out = new byte[32];
        int rc = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, new long[1], null,
                Arrays.copyOfRange(row.wrappedKey, 24, row.wrappedKey.length), row.wrappedKey.length - 24, ad, ad.length,
                Arrays.copyOf(row.wrappedKey, 24), tier);
        return rc == 0 ? out : null;
    }

    /** The content, or null if {@code contentKey} does not open it. */
    private String decrypt(Row row, byte[] contentKey) throws IOException {
        byte[] ad = memoryAd(row);
        byte[] out = new byte[row.ciphertext.length - 16];
        int rc = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, new long[1], null, row.ciphertext, row.ciphertext.length,
                ad, ad.length, row.nonce, contentKey);
        return rc == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }

    /** crypto_box_seal_open with the key pair of {@code seed}; null if it does not open. */
    private byte[] boxOpen(byte[] sealed, byte[] seed) {
        byte[] pk = new byte[32];
        byte[] sk = new byte[32];
        assertThat(sodium.crypto_box_seed_keypair(pk, sk, seed)).isZero();
        byte[] out = new byte[sealed.length - 48];
        return sodium.crypto_box_seal_open(out, sealed, sealed.length, pk, sk) == 0 ? out : null;
    }

    private byte[] boxSeed(byte[] cred) { return blake2b(cred, "memory-vault/principal/box"); }

    private byte[] blake2b(byte[] key, String label) {
        byte[] msg = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[32];
        assertThat(sodium.crypto_generichash(out, 32, msg, msg.length, key, key.length)).isZero();
        return out;
    }

    /** docs/FORMAT.md §2, by hand. */
    private static byte[] memoryAd(Row r) throws IOException { return memoryAd(r, 2); }

    private static byte[] memoryAd(Row r, int format) throws IOException {
        UUID id = UUID.fromString(r.id);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("MVAD");
        out.writeByte(format);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
        out.writeByte(r.level);
        writeString(out, r.profile);
        out.writeInt(r.keyVersion);
        out.writeLong(r.createdAt);
        writeString(out, r.createdBy);
        return bytes.toByteArray();
    }

    /** docs/FORMAT.md §3, by hand. */
    private static byte[] slotAd(String profile, int keyVersion, int slotId, int typeCode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("MVKS");
        out.writeByte(1);
        writeString(out, profile);
        out.writeInt(keyVersion);
        out.writeInt(slotId);
        out.writeByte(typeCode);
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }
}
