package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit CLI contract (docs/AUDIT.md) through the launcher: tampering with a real vault file is
 * caught by {@code vault audit verify}, and proofs check out with an RFC 9162 verifier written here,
 * independently of vault-audit, from the JSON output and the verifier key alone.
 */
@org.junit.jupiter.api.Tag("slow")   // real processes, one JVM per command: the bulk of the build's time
class AuditCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    @TempDir Path tmp;
    Launcher vault;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        Launcher.initInProcess(vault.home(), java.util.Optional.empty(), false);
        // six stores, as `vault store --content "memory i"` makes them, in this JVM (the audit commands are what is tested)
        try (org.memoryvault.app.wiring.Vault v = org.memoryvault.app.wiring.Vault.open(new org.memoryvault.app.wiring.VaultOptions(
                vault.home(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Map.of()))) {
            for (int i = 0; i < 6; i++) {
                try (org.memoryvault.domain.model.Plaintext p = org.memoryvault.domain.model.Plaintext.adopt(
                        ("memory " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    v.component().storeMemory().execute(new org.memoryvault.domain.usecase.StoreMemory.Request(p,
                            org.memoryvault.domain.model.Classification.WORKING, org.memoryvault.domain.model.ProfileId.of("default"),
                            org.memoryvault.domain.model.AccessPolicy.DEFAULT, org.memoryvault.domain.model.Metadata.EMPTY,
                            java.util.List.of(), v.requester()));
                }
            }
            v.finish();
        }
    }

    void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    void assertVerifyFails(String containing) throws Exception {
        Launcher.Run r = vault.run("audit", "verify", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
        JsonNode err = JSON.readTree(r.stdout()).get("error");
        assertThat(err.get("code").asText()).isEqualTo("INTEGRITY_AUDIT_LOG");
        assertThat(err.get("message").asText()).contains(containing);
    }

    @Test
    void untouchedLog_verifies() {
        Launcher.Run r = vault.run("audit", "verify");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("8 entries").contains("1 trees cosigned by the owner");
    }

    @Test
    void editingAnEntry_isCaughtAndNamed() throws Exception {
        sql("UPDATE audit_entries SET entry = replace(entry, 'owner', 'mallory') WHERE idx = 3");
        assertVerifyFails("entry 3");
    }

    @Test
    void deletingAnEntry_isCaught() throws Exception {
        sql("DELETE FROM audit_entries WHERE idx = 2");
        assertVerifyFails("entry 2");
    }

    @Test
    void reorderingEntries_isCaught() throws Exception {
        sql("UPDATE audit_entries SET idx = 1000000 WHERE idx = 1");
        sql("UPDATE audit_entries SET idx = 1 WHERE idx = 2");
        sql("UPDATE audit_entries SET idx = 2 WHERE idx = 1000000");
        assertVerifyFails("entry 1");
    }

    @Test
    void truncatingTheLog_isCaught() throws Exception {
        sql("DELETE FROM audit_entries WHERE idx >= 5");
        Launcher.Run r = vault.run("audit", "verify", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
    }

    @Test
    void replacingACheckpointSignature_isCaught() throws Exception {
        sql("UPDATE audit_checkpoints SET note = substr(note, 1, length(note) - 10) || 'AAAAAAAAA' || char(10) "
                + "WHERE tree_size = (SELECT max(tree_size) FROM audit_checkpoints)");
        assertVerifyFails("checkpoint");
    }

    @Test
    void inclusionAndConsistencyProofs_verifyWithAnIndependentRfc9162Checker() throws Exception {
        String note = vault.run("audit", "checkpoint").out();
        String[] lines = note.split("\n");
        long size = Long.parseLong(lines[1]);
        byte[] root = Base64.getDecoder().decode(lines[2]);
        String key = vault.run("audit", "key").out().strip();
        assertThat(key).startsWith(lines[0] + "+");
        verifyNoteSignature(note, key);

        JsonNode entries = JSON.readTree(vault.run("audit", "export", "--json").stdout()).get("entries");
        assertThat(entries.size()).isEqualTo((int) size);
        for (int i = 0; i < size; i++) {
            JsonNode proof = JSON.readTree(vault.run("audit", "prove", "--index", Integer.toString(i), "--json").stdout());
            byte[] leaf = leafHash(entries.get(i).get("entry").asText().getBytes(StandardCharsets.UTF_8));
            assertThat(HEX.formatHex(leaf)).isEqualTo(proof.get("leaf_hash").asText());
            assertThat(rootFromInclusion(i, size, leaf, hexList(proof.get("inclusion_path")))).isEqualTo(root);
        }
        assertThat(vault.run("store", "--content", "one more").exit()).isZero();
        String newNote = vault.run("audit", "checkpoint").out();
        long newSize = Long.parseLong(newNote.split("\n")[1]);
        byte[] newRoot = Base64.getDecoder().decode(newNote.split("\n")[2]);
        JsonNode c = JSON.readTree(vault.run("audit", "consistency", "--from", Long.toString(size), "--json").stdout());
        assertThat(c.get("second").asLong()).isEqualTo(newSize);
        assertThat(consistent(size, newSize, root, newRoot, hexList(c.get("consistency_path")))).isTrue();
        byte[] forged = root.clone();
        forged[0] ^= 1;
        assertThat(consistent(size, newSize, forged, newRoot, hexList(c.get("consistency_path")))).isFalse();
    }

    @Test
    void deepVerify_reportsTheDamagedMemoryById() throws Exception {
        String id = JSON.readTree(vault.run("store", "--content", "to damage", "--json").stdout()).get("id").asText();
        assertThat(vault.run("verify", "--deep").exit()).isZero();
        sql("UPDATE memories SET ciphertext = zeroblob(length(ciphertext)) WHERE id = '" + id + "'");
        Launcher.Run r = vault.run("verify", "--deep", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(5);
        assertThat(JSON.readTree(r.stdout()).at("/error/message").asText()).contains(id).contains("1 of 7");
    }

    // --- an RFC 9162 verifier written from the RFC, sharing no code with vault-audit ---

    static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) d.update(p);
        return d.digest();
    }

    static byte[] leafHash(byte[] entry) throws Exception { return sha256(new byte[] {0}, entry); }

    static byte[] node(byte[] l, byte[] r) throws Exception { return sha256(new byte[] {1}, l, r); }

    static List<byte[]> hexList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(HEX.parseHex(n.asText())));
        return out;
    }

    /** RFC 9162 §2.1.3.2. */
    static byte[] rootFromInclusion(long index, long size, byte[] leaf, List<byte[]> path) throws Exception {
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) return new byte[0];
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : new byte[0];
    }

    /** RFC 9162 §2.1.4.2. */
    static boolean consistent(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) throws Exception {
        if (first == second) return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) path.add(0, firstRoot);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    /** C2SP signed-note: the signature line's key id and Ed25519 signature over the note body, with the JDK. */
    static void verifyNoteSignature(String note, String verifierKey) throws Exception {
        String[] k = verifierKey.split("\\+", 3);
        byte[] keyBytes = Base64.getDecoder().decode(k[2]);
        assertThat(keyBytes[0]).isEqualTo((byte) 1);
        int split = note.indexOf("\n\n");
        String body = note.substring(0, split + 1);
        String sigLine = note.substring(split + 2).lines().findFirst().orElseThrow();
        assertThat(sigLine).startsWith("\u2014 " + k[0] + " ");
        byte[] sig = Base64.getDecoder().decode(sigLine.substring(sigLine.lastIndexOf(' ') + 1));
        assertThat(HEX.formatHex(Arrays.copyOf(sig, 4))).isEqualTo(k[1]);
        var spec = new java.security.spec.EdECPublicKeySpec(java.security.spec.NamedParameterSpec.ED25519, point(Arrays.copyOfRange(keyBytes, 1, 33)));
        var pub = java.security.KeyFactory.getInstance("Ed25519").generatePublic(spec);
        var v = java.security.Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(body.getBytes(StandardCharsets.UTF_8));
        assertThat(v.verify(Arrays.copyOfRange(sig, 4, sig.length))).isTrue();
    }

    static java.security.spec.EdECPoint point(byte[] encoded) {
        byte[] le = encoded.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        return new java.security.spec.EdECPoint(xOdd, new java.math.BigInteger(1, be));
    }
}
