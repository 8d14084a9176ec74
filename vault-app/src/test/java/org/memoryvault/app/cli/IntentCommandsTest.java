package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IntentLog links through the CLI, in-process, on a real vault: link, unlink, get, prefix search without wildcards, clearance, audit. */
class IntentCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Path ownerPass;

    ScratchDirs.Out run(String... args) { return ScratchDirs.run(tmp.resolve("v"), args); }

    JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        ScratchDirs.Out o = run(all.toArray(String[]::new));
        assertThat(o.exit()).as(o.toString()).isZero();
        return JSON.readTree(o.out());
    }

    @BeforeEach
    void vault() throws Exception {
        ownerPass = tmp.resolve("owner.pass");
        Files.createFile(ownerPass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(ownerPass, "the owner's passphrase");
        assertThat(run("init", "--new-passphrase-file", ownerPass.toString(), "--kdf-preset", "interactive").exit()).isZero();
    }

    String store(String content, String level, String... intents) throws Exception {
        List<String> args = new ArrayList<>(List.of("store", "-c", level, "--content", content));
        for (String i : intents) args.addAll(List.of("--intent", i));
        return json(args.toArray(String[]::new)).get("id").asText();
    }

    @Test
    void linksAreAddedOnceRemovedAndFound_storeTimeReferencesStay_andEachChangeIsAudited() throws Exception {
        String a = store("alpha", "1", "plan-7");
        String b = store("beta", "1");
        assertThat(json("intent", "link", a, "release-2026-12").get("intents")).extracting(JsonNode::asText)
                .containsExactly("plan-7", "release-2026-12");
        assertThat(run("intent", "link", a, "release-2026-12").out()).contains("already");
        json("intent", "link", b, "release-2027-01");
        assertThat(json("intent", "search", "release-").get("memories")).extracting(JsonNode::asText).containsExactly(b, a);
        assertThat(json("intent", "search", "plan").get("memories")).extracting(JsonNode::asText).containsExactly(a);

        ScratchDirs.Out kept = run("intent", "unlink", a, "plan-7");
        assertThat(kept.exit()).isEqualTo(2);
        assertThat(kept.err()).contains("given when memory");
        assertThat(json("intent", "unlink", a, "release-2026-12").get("intents")).extracting(JsonNode::asText).containsExactly("plan-7");
        assertThat(run("intent", "unlink", a, "release-2026-12").out()).contains("was not linked");

        JsonNode log = json("audit", "log", "--limit", "50");
        long links = 0;
        long unlinks = 0;
        for (JsonNode e : log.get("entries")) {
            String type = e.get("type").asText();
            if (type.equals("intent.link")) links++;
            if (type.equals("intent.unlink")) unlinks++;
        }
        assertThat(links).isEqualTo(2);
        assertThat(unlinks).isEqualTo(1);
        assertThat(run("audit", "verify").exit()).isZero();
    }

    @Test
    void aPrefixIsPlainText_likeAndFtsSyntaxMatchNothingElse() throws Exception {
        String odd = store("odd", "1", "100%_done*");
        store("other", "1", "1000-done");
        assertThat(json("intent", "search", "100%").get("memories")).extracting(JsonNode::asText).containsExactly(odd);
        assertThat(json("intent", "search", "1_0").get("memories")).isEmpty();
        assertThat(json("intent", "search", "%").get("memories")).isEmpty();
        assertThat(json("intent", "search", "\"1\" OR *").get("memories")).isEmpty();
    }

    @Test
    void anAgentCannotRelinkWhatItCannotRead_andNothingChanges() throws Exception {
        String secret = store("level two", "2");
        JsonNode agent = json("principal", "add", "agent-1", "--clearance", "1", "--passphrase-file", ownerPass.toString());
        ScratchDirs.Out refused = run("--principal-file", agent.get("credential_file").asText(), "intent", "link", secret, "steal");
        assertThat(refused.exit()).isEqualTo(4);
        assertThat(refused.err()).contains("ACCESS_CLEARANCE");
        assertThat(json("intent", "get", secret).get("intents")).isEmpty();
        assertThat(run("intent", "link", "00000000-0000-4000-8000-000000000000", "x").exit()).isEqualTo(3);
        assertThat(run("intent", "search", "").exit()).isEqualTo(2);
    }
}
