package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault proof create} and {@code vault proof verify} (issue 14, docs/PROOFS.md): a proof
 * made by a vault verifies with no vault at all, with the content and opening too; altering any
 * member of it, or the content, fails; a memory sealed again since its store gets a
 * {@code memory.commit} entry; the opening is a recall through the gates, and a refused one writes nothing.
 */
class ProofCliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Launcher vault;
    Launcher nowhere;
    Path ownerPass;

    @BeforeEach
    void init() {
        vault = new Launcher(tmp.resolve("vault"));
        nowhere = new Launcher(tmp.resolve("no-vault-here"));          // a machine without the vault
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), Optional.of(ownerPass), true, "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    static Launcher.Run ok(Launcher l, String... args) {
        Launcher.Run r = l.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    String store(String content, int level) throws Exception {
        Launcher.Run r = vault.runWithInput(content.getBytes(StandardCharsets.UTF_8), "store", "--classification", String.valueOf(level), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void aProofVerifiesWithoutTheVault_withItsContent_andNothingAlteredPasses() throws Exception {
        String id = store("the deal closed at 4.2M", 1);
        String key = ok(vault, "audit", "key").out().strip();
        Path proof = tmp.resolve("proof.json");
        Path opening = tmp.resolve("opening.json");
        JsonNode made = JSON.readTree(ok(vault, "proof", "create", id, "--out", proof.toString(), "--opening", opening.toString(),
                "--justification", "show the auditor", "--json").stdout());
        assertThat(made.get("entry_type").asText()).isEqualTo("memory.store");
        assertThat(Files.getPosixFilePermissions(opening)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(proof)).doesNotContain("4.2M");

        Path content = file("content.txt", "the deal closed at 4.2M");
        JsonNode v = JSON.readTree(ok(nowhere, "proof", "verify", proof.toString(), "--vkey", key, "--content", content.toString(),
                "--opening", opening.toString(), "--json").stdout());
        assertThat(v.get("ok").asBoolean()).isTrue();
        assertThat(v.get("content_verified").asBoolean()).isTrue();
        assertThat(v.get("memory_id").asText()).isEqualTo(id);
        assertThat(v.get("classification").asInt()).isEqualTo(1);
        assertThat(ok(nowhere, "proof", "verify", proof.toString(), "--vkey", key).out()).contains("proof holds");
        assertThat(nowhere.home()).doesNotExist();

        // other content under the same opening: refused, and said why
        Path other = file("other.txt", "the deal closed at 4.3M");
        Launcher.Run wrong = nowhere.run("proof", "verify", proof.toString(), "--vkey", key, "--content", other.toString(),
                "--opening", opening.toString());
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(5);
        assertThat(wrong.stderr()).contains("not what memory " + id + " committed to").contains("INTEGRITY_TAMPERED");

        // every member of the proof, altered: never holds
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(proof));
        for (String member : List.of("memory_id", "commitment", "entry", "index", "tree_size", "inclusion_path", "checkpoint", "format")) {
            ObjectNode altered = doc.deepCopy();
            JsonNode value = altered.get(member);
            if (value.isIntegralNumber()) altered.put(member, value.asLong() + 1);
            else if (value.isArray()) ((com.fasterxml.jackson.databind.node.ArrayNode) altered.get(member)).add("00".repeat(32));
            else altered.put(member, flip(value.asText()));
            Path p = Files.writeString(tmp.resolve("altered-" + member + ".json"), JSON.writeValueAsString(altered));
            Launcher.Run r = nowhere.run("proof", "verify", p.toString(), "--vkey", key, "--json");
            assertThat(r.exit()).as(member + ": " + r).isIn(2, 5);
            assertThat(r.exit() == 5 ? JSON.readTree(r.stdout()).at("/error/code").asText() : "INPUT_INVALID")
                    .as(member).startsWith(r.exit() == 5 ? "INTEGRITY_" : "INPUT_INVALID");
        }
        // another vault's verifier key
        Launcher second = new Launcher(tmp.resolve("second"));
        Launcher.initInProcess(second.home(), Optional.empty(), true);
        Launcher.Run foreign = nowhere.run("proof", "verify", proof.toString(), "--vkey", ok(second, "audit", "key").out().strip());
        assertThat(foreign.exit()).as(foreign.toString()).isEqualTo(5);
        assertThat(foreign.stderr()).contains("INTEGRITY_SIGNATURE");

        Launcher.Run garbage = nowhere.run("proof", "verify", file("junk.json", "{\"format\":1").toString(), "--vkey", key);
        assertThat(garbage.exit()).as(garbage.toString()).isEqualTo(2);
        assertThat(garbage.stderr()).contains("malformed").contains("INPUT_INVALID").doesNotContain("Exception");

        assertThat(ok(vault, "audit", "log", "--memory", id).out()).contains("memory.recall.granted").contains("show the auditor");

        // an outsider's check with no code of this project: docs/recovery/verify_proof.py (Python and PyNaCl)
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        boolean nacl = new ProcessBuilder(python, "-c", "import nacl.signing").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_PYNACL"))) assertThat(nacl).as(python + " with PyNaCl").isTrue();
        if (nacl) {
            String script = Launcher.REPO.resolve("docs/recovery/verify_proof.py").toString();
            assertThat(python(python, script, proof.toString(), "--vkey", key, "--content", content.toString(), "--opening", opening.toString()))
                    .startsWith("0:").contains("the content is what was committed");
            assertThat(python(python, script, proof.toString(), "--vkey", key, "--content", other.toString(), "--opening", opening.toString()))
                    .startsWith("5:").contains("not what was committed");
            for (String member : List.of("memory_id", "commitment", "entry", "index", "tree_size", "inclusion_path", "checkpoint")) {
                assertThat(python(python, script, tmp.resolve("altered-" + member + ".json").toString(), "--vkey", key))
                        .as(member).matches("(?s)[25]:.*");
            }
        }
    }

    /** Runs the script; returns "EXIT:" and its output. */
    static String python(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    @Test
    void aMemorySealedAgain_isProvedByACommitEntry_onlyAfterARecallCheckedIt_andARefusedOpeningWritesNothing() throws Exception {
        String id = store("sealed twice", 3);
        ok(vault, "profile", "rekey", "default", "--passphrase-file", ownerPass.toString());
        String key = ok(vault, "audit", "key").out().strip();

        // no entry carries the new commitment, and the column alone is an editable row: a proof needs an opening (a recall)
        Path noOpening = tmp.resolve("no-opening.json");
        Launcher.Run without = vault.run("proof", "create", id, "--out", noOpening.toString(), "--json");
        assertThat(without.exit()).as(without.toString()).isEqualTo(2);
        assertThat(JSON.readTree(without.stdout()).at("/error/code").asText()).isEqualTo("INPUT_STATE");
        assertThat(JSON.readTree(without.stdout()).at("/error/message").asText()).contains("--opening");
        assertThat(noOpening).doesNotExist();

        // the key file alone (an agent's everyday secret) gets no opening of a level-3 memory, and nothing is written
        Path refusedProof = tmp.resolve("refused-proof.json");
        Path refusedOpening = tmp.resolve("refused-opening.json");
        Launcher.Run refused = vault.run("proof", "create", id, "--out", refusedProof.toString(), "--opening", refusedOpening.toString(),
                "--justification", "agent wants it");
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refusedProof).doesNotExist();
        assertThat(refusedOpening).doesNotExist();

        // a path that cannot be written costs no recall: refused before the gates are asked
        Launcher.Run unwritable = vault.run("proof", "create", id, "--out", tmp.resolve("p.json").toString(), "--opening",
                tmp.resolve("no-such-dir").resolve("o.json").toString(), "--justification", "x", "--passphrase-file", ownerPass.toString());
        assertThat(unwritable.exit()).as(unwritable.toString()).isEqualTo(2);
        assertThat(tmp.resolve("p.json")).doesNotExist();
        assertThat(ok(vault, "audit", "log", "--memory", id, "--type", "memory.recall.granted").out()).doesNotContain("memory.recall.granted");

        Path proof = tmp.resolve("proof.json");
        Path opening = tmp.resolve("opening.json");
        JsonNode made = JSON.readTree(ok(vault, "proof", "create", id, "--out", proof.toString(), "--opening", opening.toString(),
                "--justification", "owner proves it", "--passphrase-file", ownerPass.toString(), "--json").stdout());
        assertThat(made.get("entry_type").asText()).isEqualTo("memory.commit");
        JsonNode v = JSON.readTree(ok(nowhere, "proof", "verify", proof.toString(), "--vkey", key, "--content",
                file("c.txt", "sealed twice").toString(), "--opening", opening.toString(), "--json").stdout());
        assertThat(v.get("entry_type").asText()).isEqualTo("memory.commit");
        assertThat(v.get("classification").asInt()).isEqualTo(3);
        assertThat(v.get("content_verified").asBoolean()).isTrue();

        // a second proof reuses the entry: one memory.commit in the log
        ok(vault, "proof", "create", id, "--out", tmp.resolve("again.json").toString());
        assertThat(ok(vault, "audit", "log", "--type", "memory.commit", "--json").out().split("\"type\":\"memory.commit\"", -1))
                .hasSize(1 + 2);           // the entry's type appears once in the record, once in its entry
        ok(vault, "audit", "verify");
    }

    @Test
    void aCommitmentEditedInVaultDb_neverGetsIntoTheLog() throws Exception {
        String id = store("the owner's real words", 1);
        // the same-user agent writes a commitment of content of its choosing into the row (HMAC under a key it picked)
        byte[] k = new byte[32];
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256"));
        java.util.UUID uuid = java.util.UUID.fromString(id);
        mac.update(java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        String forged = java.util.HexFormat.of().formatHex(mac.doFinal("words the agent chose".getBytes(StandardCharsets.UTF_8)));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + vault.home().resolve("vault.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("UPDATE memories SET commitment = '" + forged + "' WHERE id = '" + id + "'");
        }
        Launcher.Run plain = vault.run("proof", "create", id, "--out", tmp.resolve("p1.json").toString(), "--json");
        assertThat(plain.exit()).as(plain.toString()).isEqualTo(2);
        Launcher.Run opened = vault.run("proof", "create", id, "--out", tmp.resolve("p2.json").toString(), "--opening",
                tmp.resolve("o2.json").toString(), "--justification", "try", "--json");
        assertThat(opened.exit()).as(opened.toString()).isEqualTo(5);
        assertThat(JSON.readTree(opened.stdout()).at("/error/code").asText()).isEqualTo("INTEGRITY_TAMPERED");
        assertThat(tmp.resolve("p1.json")).doesNotExist();
        assertThat(tmp.resolve("p2.json")).doesNotExist();
        assertThat(ok(vault, "audit", "log", "--type", "memory.commit").out()).doesNotContain(forged);
    }

    static String flip(String s) {
        int i = s.length() / 2;
        char c = s.charAt(i);
        return s.substring(0, i) + (c == 'a' ? 'b' : 'a') + s.substring(i + 1);
    }
}
