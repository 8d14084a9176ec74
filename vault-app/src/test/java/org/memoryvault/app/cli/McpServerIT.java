package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vault mcp` driven by a client this project did not write: the reference MCP TypeScript SDK's
 * stdio client (npm `@modelcontextprotocol/sdk`, pinned in .ci/mcp-client, installed by .ci/run),
 * run by node. The server is a real `vault` process started by that client; the owner acts through
 * the CLI in between.
 */
@org.junit.jupiter.api.Tag("slow")
class McpServerIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CLIENT_DIR = Launcher.REPO.resolve(".ci/mcp-client");

    @TempDir Path tmp;
    Launcher vault;
    Path ownerPass;

    @BeforeEach
    void vault() throws Exception {
        boolean installed = Files.isDirectory(CLIENT_DIR.resolve("node_modules/@modelcontextprotocol/sdk"));
        if (System.getenv("VAULT_REQUIRE_MCP_CLIENT") != null) {
            assertThat(installed).as("the MCP client is installed (cd .ci/mcp-client && npm ci)").isTrue();
        }
        Assumptions.assumeTrue(installed, "the MCP TypeScript SDK is not installed in .ci/mcp-client (npm ci there)");
        vault = new Launcher(tmp.resolve("vault"));
        ownerPass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(vault.home(), java.util.Optional.of(ownerPass), true, "approval.gate", "queue",
                "boundary.local.ignore-interfaces", Launcher.interfaceNames());
    }

    String principal(String name, int clearance) throws Exception {
        Launcher.Run r = vault.run("principal", "add", name, "--clearance", String.valueOf(clearance), "--json", "--passphrase-file",
                ownerPass.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.stdout()).get("credential_file").asText();
    }

    /** One node client talking to one `vault mcp` it started. */
    final class Session implements AutoCloseable {
        final Process node;
        final BufferedReader answers;
        final Writer commands;

        Session(String credential) throws Exception {
            ProcessBuilder pb = new ProcessBuilder("node", CLIENT_DIR.resolve("client.mjs").toString(), Launcher.VAULT.toString(),
                    "--vault", vault.home().toString(), "mcp");
            pb.environment().put("MEMORY_VAULT_PRINCIPAL_FILE", credential);
            pb.environment().put("VAULT_JAVA_OPTS", Launcher.TEST_JVM_OPTIONS);
            pb.redirectError(tmp.resolve("mcp-" + System.nanoTime() + ".stderr").toFile());
            node = pb.start();
            answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            JsonNode ready = next();
            assertThat(ready.get("server").get("name").asText()).isEqualTo("memory-vault");
        }

        JsonNode next() throws Exception {
            java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return answers.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String l = line.get(60, TimeUnit.SECONDS);
            assertThat(l).as("the client answered").isNotNull();
            return JSON.readTree(l);
        }

        JsonNode send(Map<String, Object> command) throws Exception {
            commands.write(JSON.writeValueAsString(command) + "\n");
            commands.flush();
            return next();
        }

        /** A tool's result: its structured content, or (for an error result) {"error": {...}}. */
        JsonNode call(String tool, Map<String, Object> args) throws Exception {
            JsonNode answer = send(Map.of("op", "call", "tool", tool, "args", args));
            if (answer.has("error")) return answer;
            JsonNode result = answer.get("result");
            if (result.path("isError").asBoolean(false)) {
                String text = result.at("/content/0/text").asText();
                // the vault's errors are {"error":{"code","message"}}; the SDK's own (schema validation) are plain text
                return text.startsWith("{") ? JSON.readTree(text) : JSON.createObjectNode().set("error",
                        JSON.createObjectNode().put("code", "SCHEMA").put("message", text));
            }
            return result.get("structuredContent");
        }

        @Override
        public void close() throws java.io.IOException {
            commands.write("{\"op\":\"quit\"}\n");
            commands.close();
            try {
                if (!node.waitFor(60, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    throw new AssertionError("the client did not end");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.destroyForcibly();
                throw new AssertionError("interrupted while the client ended", e);
            }
        }
    }

    @Test
    void anAgentStoresRecallsAndWaitsForTheOwnerAtLevel3_throughTheReferenceClient() throws Exception {
        String credential = principal("planner", 3);
        try (Session mcp = new Session(credential)) {
            JsonNode tools = mcp.send(Map.of("op", "list")).get("tools");
            assertThat(tools).extracting(JsonNode::asText).containsExactly("link_intent", "list_memories", "memory_info", "recall_memory",
                    "search_memories", "store_memory", "vault_status");

            String id = mcp.call("store_memory", Map.of("content", "the build needs JDK 17", "classification", 1,
                    "metadata", Map.of("topic", "build"))).get("id").asText();
            JsonNode recalled = mcp.call("recall_memory", Map.of("id", id, "justification", "planning"));
            assertThat(recalled.get("granted").asBoolean()).isTrue();
            assertThat(recalled.get("content").asText()).isEqualTo("the build needs JDK 17");
            assertThat(mcp.call("search_memories", Map.of("query", "build")).get("hits")).hasSize(1);
            assertThat(mcp.call("link_intent", Map.of("id", id, "intent", "release-1")).get("linked").asBoolean()).isTrue();
            assertThat(mcp.call("memory_info", Map.of("id", id)).get("intents")).extracting(JsonNode::asText).containsExactly("release-1");

            String sealed = mcp.call("store_memory", Map.of("content", "the contract draft", "classification", 3)).get("id").asText();
            JsonNode pending = mcp.call("recall_memory", Map.of("id", sealed, "justification", "review"));
            assertThat(pending.get("granted").asBoolean()).isFalse();
            String approval = pending.get("approval_id").asText();
            assertThat(approval).matches("[0-9a-f]{32}");

            Launcher.Run approved = vault.run("approvals", "approve", approval, "--passphrase-file", ownerPass.toString());
            assertThat(approved.exit()).as(approved.toString()).isZero();
            JsonNode granted = mcp.call("recall_memory", Map.of("id", sealed, "justification", "review", "approval_id", approval));
            assertThat(granted.get("granted").asBoolean()).isTrue();
            assertThat(granted.get("content").asText()).isEqualTo("the contract draft");
            JsonNode again = mcp.call("recall_memory", Map.of("id", sealed, "justification", "review", "approval_id", approval));
            assertThat(again.toString()).as("an approval opens once").contains("error");
        }
        assertThat(vault.run("audit", "verify").exit()).isZero();
    }

    @Test
    void aPrincipalsRateCountsEveryCall_notOnlyTheServersStart() throws Exception {
        Launcher.Run r = vault.run("principal", "add", "rated", "--clearance", "1", "--rate", "3/h", "--json", "--passphrase-file",
                ownerPass.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        try (Session mcp = new Session(JSON.readTree(r.stdout()).get("credential_file").asText())) {
            int stored = 0;
            JsonNode last = null;
            for (int i = 0; i < 6; i++) {
                last = mcp.call("store_memory", Map.of("content", "memory " + i, "classification", 1));
                if (last.has("id")) stored++;
            }
            assertThat(stored).as("the server's start and two calls use the rate of 3").isLessThanOrEqualTo(3);
            assertThat(last.at("/error/code").asText()).isEqualTo("ACCESS_RATE");
        }
    }

    @Test
    void aClearance1ServerCannotGoAbove1_andMalformedCallsGetErrorsWhileItKeepsServing() throws Exception {
        Launcher.Run ownerStore = vault.runWithInput("level two".getBytes(StandardCharsets.UTF_8), "store", "-c", "2", "--json");
        String level2 = JSON.readTree(ownerStore.stdout()).get("id").asText();
        String credential = principal("reader", 1);
        try (Session mcp = new Session(credential)) {
            assertThat(mcp.call("store_memory", Map.of("content", "x", "classification", 2)).at("/error/code").asText())
                    .isEqualTo("ACCESS_CLEARANCE");
            assertThat(mcp.call("store_memory", Map.of("content", "x", "classification", 5)).at("/error/code").asText())
                    .isEqualTo("ACCESS_CLEARANCE");
            assertThat(mcp.call("recall_memory", Map.of("id", level2, "justification", "try")).toString()).contains("error")
                    .doesNotContain("level two");

            for (Map<String, Object> bad : List.<Map<String, Object>>of(
                    Map.of("content", 17, "classification", 1),
                    Map.of("classification", 1),
                    Map.of("content", "x", "classification", "one"),
                    Map.of("content", "x".repeat(2 << 20), "classification", 1))) {
                assertThat(mcp.call("store_memory", bad).toString()).as(bad.keySet().toString()).contains("error");
            }
            assertThat(mcp.send(Map.of("op", "call", "tool", "no_such_tool", "args", Map.of())).toString()).contains("error");
            assertThat(mcp.call("recall_memory", Map.of("id", "not-a-uuid", "justification", "x")).toString()).contains("error");

            JsonNode still = mcp.call("store_memory", Map.of("content", "still serving", "classification", 1));
            assertThat(still.get("id").asText()).matches("[0-9a-f-]{36}");
            assertThat(mcp.call("vault_status", Map.of()).get("lockdown").asBoolean()).isFalse();

            // the owner removes the principal: the running server is stopped at its next call
            assertThat(vault.run("principal", "remove", "reader", "--passphrase-file", ownerPass.toString()).exit()).isZero();
            assertThat(mcp.call("store_memory", Map.of("content", "after removal", "classification", 1)).toString()).contains("error");
        }
        Launcher.Run list = vault.run("list", "--json");
        assertThat(JSON.readTree(list.stdout()).get("memories")).hasSize(2);     // the owner's and "still serving", nothing else
    }
}
