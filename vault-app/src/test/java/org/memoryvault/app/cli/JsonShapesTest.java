package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/JSON.md is the contract of {@code --json}: every example there is checked against what the
 * command prints now (same keys at every depth, same kind of value; a documented null may be
 * anything; an audit entry's event and a memory's metadata are free-form objects), and every command
 * run here is documented there. In-process, on a real vault.
 */
class JsonShapesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    @TempDir Path tmp;
    final Map<String, JsonNode> printed = new LinkedHashMap<>();

    record Out(int exit, String out, String err) {}

    Out run(String... args) {
        List<String> all = new ArrayList<>(List.of("--vault", tmp.resolve("v").toString()));
        all.addAll(List.of(args));
        all.add("--json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VaultCli.run(all.toArray(String[]::new), new VaultCli.Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()));
        return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must exit {@code exit} and keeps its JSON under the heading {@code doc} of docs/JSON.md. */
    JsonNode record(String doc, int exit, String... args) throws Exception {
        Out o = run(args);
        assertThat(o.exit()).as(String.join(" ", args) + ": " + o).isEqualTo(exit);
        assertThat(o.out()).as("one document and a newline").endsWith("}\n").doesNotContain("}\n{");
        JsonNode node = JSON.readTree(o.out());
        printed.put(doc, node);
        return node;
    }

    @Test
    void everyDocumentedShape_isWhatTheCommandPrints_andEveryCommandHereIsDocumented() throws Exception {
        record("vault init", 0, "init", "--kdf-preset", "interactive");
        String id = record("vault store", 0, "store", "--content", "hello", "--metadata", "{\"topic\":\"demo\"}").get("id").asText();
        record("vault show", 0, "show", id);
        record("vault list", 0, "list");
        record("vault search", 0, "search", "demo");
        record("vault recall", 0, "recall", id, "--justification", "shapes");
        record("vault intent link", 0, "intent", "link", id, "release-2026-12");
        record("vault intent get", 0, "intent", "get", id);
        record("vault intent search", 0, "intent", "search", "release-");
        record("vault intent unlink", 0, "intent", "unlink", id, "release-2026-12");
        record("vault recall --output FILE", 0, "recall", id, "--justification", "shapes", "--output", tmp.resolve("out").toString());
        record("vault proof create", 0, "proof", "create", id, "--out", tmp.resolve("proof.json").toString());
        record("vault proof verify", 0, "proof", "verify", tmp.resolve("proof.json").toString(), "--vkey", JSON.readTree(run("audit", "key").out()).get("verifier_key").asText());
        JsonNode agent = record("vault principal add", 0, "principal", "add", "agent-7", "--clearance", "3");
        record("vault principal list", 0, "principal", "list");
        JsonNode totp = record("vault token enroll totp", 0, "token", "enroll", "totp", "--name", "phone");
        record("vault token list", 0, "token", "list");
        String base32 = totp.get("otpauth_uri").asText().replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1");
        Path code = Files.writeString(Files.createFile(tmp.resolve("code"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), org.memoryvault.hardware.totp.Totp.code(org.memoryvault.hardware.totp.Totp.base32Decode(base32),
                org.memoryvault.hardware.totp.Totp.Parameters.DEFAULT, java.time.Instant.now()));
        record("vault token test", 0, "--totp-code-file", code.toString(), "token", "test", "phone");
        record("vault token remove", 0, "token", "remove", "phone");
        record("vault hardware status", 0, "hardware", "status");
        record("vault config set", 0, "config", "set", "approval.gate", "queue");
        assertThat(run("config", "set", "boundary.local.ignore-interfaces", Launcher.interfaceNames()).exit()).isZero();
        assertThat(run("config", "set", "approval.ttl", "10m").exit()).isZero();
        record("vault config unset", 0, "config", "unset", "approval.ttl");
        record("vault config get", 0, "config", "get", "anomaly.max-refusals-total");
        Path sealed = Files.writeString(tmp.resolve("sealed.txt"), "level three");
        String id3 = record("vault store", 0, "store", "-c", "3", "--file", sealed.toString()).get("id").asText();
        record("vault recall (approval pending, exit 75)", 75, "--principal-file", agent.get("credential_file").asText(),
                "recall", id3, "--justification", "draft the contract");
        JsonNode approvals = record("vault approvals list", 0, "approvals", "list");
        record("vault approvals approve", 0, "approvals", "approve", approvals.at("/approvals/0/approval_id").asText());
        record("vault profile unlock", 0, "profile", "unlock", "default");
        Path config0 = tmp.resolve("v").resolve("config.toml");
        Files.writeString(config0, Files.readString(config0) + "anomaly.window = '5m'\n");     // a hand edit, then the owner accepts it
        JsonNode resealed = record("vault reseal", 0, "reseal");
        assertThat(resealed.get("accepted")).isNotEmpty();
        assertThat(run("config", "set", "ephemeral.ttl", "1s").exit()).isZero();
        record("vault store", 0, "store", "-c", "0", "--content", "ephemeral");
        Thread.sleep(1100);
        JsonNode purged = record("vault purge-ephemeral", 0, "purge-ephemeral");
        assertThat(purged.get("purged")).hasSize(1);
        record("vault profile create", 0, "profile", "create", "work");
        Path pass = Files.writeString(Files.createFile(tmp.resolve("p"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), "a new passphrase");
        record("vault profile add-slot", 0, "profile", "add-slot", "work", "--type", "passphrase", "--new-passphrase-file", pass.toString(),
                "--label", "recovery");
        record("vault profile list", 0, "profile", "list");
        record("vault audit log", 0, "audit", "log", "--limit", "1");
        record("vault audit verify", 0, "audit", "verify");
        record("vault verify", 0, "verify");
        record("vault verify --deep", 0, "verify", "--deep");
        record("vault boundary status", 0, "boundary", "status");
        record("vault tombstone", 0, "tombstone", id, "--reason", "shapes");
        record("Errors", 3, "show", "00000000-0000-4000-8000-000000000000");
        record("vault lockdown status", 0, "lockdown", "enter", "--reason", "shapes");
        record("vault lockdown status", 0, "lockdown", "status");
        Path config = tmp.resolve("v").resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "boundary.gaurd = \"daemon\"\n");
        record("vault config list", 0, "config", "list");

        Map<String, JsonNode> documented = documented();
        assertThat(documented.keySet()).as("every documented command is exercised").containsExactlyInAnyOrderElementsOf(printed.keySet());
        List<String> mismatches = new ArrayList<>();
        printed.forEach((doc, actual) -> compare(doc, "", documented.get(doc), actual, mismatches));
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyTimestampPrinted_isRfc3339UtcWithMilliseconds() throws Exception {
        record("vault init", 0, "init", "--kdf-preset", "interactive");
        String id = record("vault store", 0, "store", "--content", "hello").get("id").asText();
        record("vault recall", 0, "recall", id, "--justification", "times");
        record("vault show", 0, "show", id);
        record("vault lockdown status", 0, "lockdown", "enter");
        record("vault audit log", 0, "audit", "log");
        List<String> times = new ArrayList<>();
        printed.values().forEach(n -> collectTimes(n, "", times));
        assertThat(times).isNotEmpty().allSatisfy(t -> assertThat(t).matches(TIME));
    }

    private static void collectTimes(JsonNode n, String key, List<String> out) {
        if (n.isTextual() && (key.endsWith("_at") || key.equals("at") || key.equals("since"))) out.add(n.asText());
        Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            collectTimes(f.getValue(), f.getKey(), out);
        }
        if (n.isArray()) n.forEach(e -> collectTimes(e, key, out));
    }

    /** The examples of docs/JSON.md by heading (the heading's text without backticks). */
    static Map<String, JsonNode> documented() throws Exception {
        String md = Files.readString(Launcher.REPO.resolve("docs/JSON.md"));
        Matcher m = Pattern.compile("(?m)^### (.+)$\\n(?:(?!^### )[\\s\\S])*?^```json\\n([\\s\\S]*?)^```").matcher(md);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        while (m.find()) out.put(m.group(1).replace("`", "").strip(), JSON.readTree(m.group(2)));
        return out;
    }

    /** Same keys at every depth, same kinds; a documented null matches anything; arrays by their first elements. */
    static void compare(String doc, String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isNull()) return;
        if (expected.getNodeType() != actual.getNodeType()) {
            out.add(doc + " " + path + ": documented " + expected.getNodeType() + ", printed " + actual.getNodeType() + " " + actual);
            return;
        }
        if (expected.isObject() && (path.endsWith("/entry") || path.endsWith("/metadata"))) return;   // free-form: the event, the user's metadata
        if (expected.isObject()) {
            List<String> want = new ArrayList<>();
            expected.fieldNames().forEachRemaining(want::add);
            List<String> got = new ArrayList<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (doc.equals("vault config list") && path.equals("/settings")) {
                if (!got.containsAll(want)) out.add(doc + " " + path + ": missing keys " + want + " in " + got);
            } else if (!new java.util.HashSet<>(want).equals(new java.util.HashSet<>(got))) {
                out.add(doc + " " + path + ": documented keys " + want + ", printed " + got);
                return;
            }
            for (String k : want) if (actual.has(k)) compare(doc, path + "/" + k, expected.get(k), actual.get(k), out);
        } else if (expected.isArray() && expected.size() > 0 && actual.size() > 0) {
            compare(doc, path + "/0", expected.get(0), actual.get(0), out);
        }
    }
}
