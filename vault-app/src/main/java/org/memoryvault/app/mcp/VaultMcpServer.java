package org.memoryvault.app.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memoryvault.app.api.MemoryVault;
import org.memoryvault.domain.error.VaultException;

/**
 * {@code vault mcp}: the vault as a Model Context Protocol server over stdio (docs/AGENTS.md), one
 * agent principal per server, through {@link MemoryVault} (so every gate, clearance check and audit
 * entry is the CLI's). The tools never expose owner operations: no lockdown exit, no approvals, no
 * keys, profiles, tombstones or tokens. A tool's failure is an MCP error result naming the vault's
 * error code; the server keeps serving. Nothing but the protocol is written to stdout.
 */
public final class VaultMcpServer {
    /** The largest content a tool call may carry (UTF-8 bytes); the vault's own limit applies too. */
    static final int MAX_CONTENT = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemoryVault vault;

    public VaultMcpServer(MemoryVault vault) { this.vault = Objects.requireNonNull(vault, "vault"); }

    /**
     * Serves on {@code in} and {@code out} until {@code in} ends; then waits (up to 30 s) for the
     * calls in progress to answer, and returns. Only well-formed messages reach the MCP SDK
     * ({@link MessageFilter}): one bad line is dropped (and said on stderr), never the end of the
     * server.
     */
    public void serve(InputStream in, OutputStream out, java.io.PrintStream log) throws InterruptedException, IOException {
        java.io.PipedOutputStream toSdk = new java.io.PipedOutputStream();
        java.io.PipedInputStream sdkIn = new java.io.PipedInputStream(toSdk, 1 << 16);
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, sdkIn, out);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("memory-vault", "0.1.0")
                .instructions("An encrypted memory store. Store what you learn with store_memory; recall_memory gives it back through"
                        + " the owner's gates: from level 3 it returns a pending approval id the owner must approve; retry with it.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(mapper)
                .tools(tools(mapper))
                .build();
        try {
            MessageFilter.copy(in, toSdk, log);                // until stdin ends
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(100);                                 // the last answer is written by the SDK's own thread
        } finally {
            toSdk.close();
            server.closeGracefully();
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private List<McpServerFeatures.SyncToolSpecification> tools(JacksonMcpJsonMapper mapper) {
        List<McpServerFeatures.SyncToolSpecification> out = new ArrayList<>();
        out.add(tool(mapper, "store_memory", "Store a memory; returns its id. Classification 0 (ephemeral) to 5, at most your clearance.",
                "{\"type\":\"object\",\"properties\":{"
                        + "\"content\":{\"type\":\"string\",\"description\":\"The memory (UTF-8 text).\"},"
                        + "\"classification\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":5},"
                        + "\"metadata\":{\"type\":\"object\",\"description\":\"Searchable, not secret.\"},"
                        + "\"intents\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"IntentLog ids.\"}},"
                        + "\"required\":[\"content\",\"classification\"],\"additionalProperties\":false}",
                args -> {
                    byte[] bytes = utf8(string(args, "content"));
                    if (bytes.length > MAX_CONTENT) throw new IllegalArgumentException("content is larger than " + MAX_CONTENT + " bytes");
                    if (bytes.length == 0) throw new IllegalArgumentException("content is empty");
                    Object metadata = args.get("metadata");
                    String metadataJson = metadata == null ? null : JSON.writeValueAsString(metadata);
                    List<String> intents = strings(args, "intents");
                    String id = vault.store(bytes, integer(args, "classification"), metadataJson, intents, "default");
                    return Map.of("id", id);
                }));
        out.add(tool(mapper, "recall_memory", "Recall a memory through every gate. From level 3 the first call returns a pending"
                        + " approval_id; once the owner approved it, call again with it.",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
                        + "\"justification\":{\"type\":\"string\",\"description\":\"Why you need it (audited).\"},"
                        + "\"approval_id\":{\"type\":\"string\"}},\"required\":[\"id\",\"justification\"],\"additionalProperties\":false}",
                args -> {
                    Object approval = args.get("approval_id");
                    MemoryVault.Recall r = vault.recall(string(args, "id"), string(args, "justification"),
                            approval == null ? null : string(args, "approval_id"));
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("granted", r.granted());
                    if (r.granted()) {
                        byte[] content = r.content();
                        try {
                            o.put("content", StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString());
                        } catch (java.nio.charset.CharacterCodingException binary) {
                            o.put("content_base64", java.util.Base64.getEncoder().encodeToString(content));   // not text: exact bytes
                        }
                        java.util.Arrays.fill(content, (byte) 0);
                        o.put("warnings", r.warnings());
                    } else {
                        o.put("approval_id", r.approvalId().orElse(""));
                        o.put("next", "the owner approves it (vault approvals approve ID); then call recall_memory again with approval_id");
                    }
                    return o;
                }));
        out.add(tool(mapper, "search_memories", "Search memory metadata by words (not content).",
                "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\",\"minimum\":1,"
                        + "\"maximum\":100}},\"required\":[\"query\"],\"additionalProperties\":false}",
                args -> Map.of("hits", vault.search(string(args, "query"), args.containsKey("limit") ? integer(args, "limit") : 20).stream()
                        .map(h -> Map.of("id", h.id(), "matched_in", h.matchedIn(), "snippet", h.snippet())).toList())));
        out.add(tool(mapper, "list_memories", "The newest memories' metadata (never content).",
                "{\"type\":\"object\",\"properties\":{\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100}},"
                        + "\"additionalProperties\":false}",
                args -> Map.of("memories", vault.list(args.containsKey("limit") ? integer(args, "limit") : 20).stream()
                        .map(VaultMcpServer::info).toList())));
        out.add(tool(mapper, "memory_info", "One memory's metadata and state (never content).",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"],\"additionalProperties\":false}",
                args -> info(vault.info(string(args, "id")))));
        out.add(tool(mapper, "link_intent", "Link a memory to an IntentLog intent id (audited).",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"intent\":{\"type\":\"string\"}},"
                        + "\"required\":[\"id\",\"intent\"],\"additionalProperties\":false}",
                args -> Map.of("linked", vault.linkIntent(string(args, "id"), string(args, "intent")))));
        out.add(tool(mapper, "vault_status", "Whether the vault is in lockdown, and which levels the boundary lets through now.",
                "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
                args -> {
                    MemoryVault.Status s = vault.status();
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("lockdown", s.lockdown());
                    o.put("lockdown_reason", s.lockdownReason().orElse(null));
                    Map<String, String> boundary = new LinkedHashMap<>();
                    s.boundary().forEach((level, why) -> boundary.put(Integer.toString(level), why));
                    o.put("boundary", boundary);
                    return o;
                }));
        return out;
    }

    /** A tool's work: its arguments in, a JSON-able result out. */
    @FunctionalInterface
    interface Work {
        Object apply(Map<String, Object> args) throws Exception;
    }

    private McpServerFeatures.SyncToolSpecification tool(JacksonMcpJsonMapper mapper, String name, String description, String schema,
                                                          Work work) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(mapper, schema).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
            inFlight.incrementAndGet();
            try {
                Object result = work.apply(args);
                String text = JSON.writeValueAsString(result);
                return McpSchema.CallToolResult.builder().addTextContent(text).structuredContent(result).isError(false).build();
            } catch (VaultException e) {
                return error(e.code().name(), e.getMessage());
            } catch (IllegalArgumentException | ClassCastException e) {
                return error("INPUT_INVALID", String.valueOf(e.getMessage()));
            } catch (Exception e) {
                return error("INTERNAL_ERROR", "the tool failed (" + e.getClass().getSimpleName() + ")");
            } finally {
                inFlight.decrementAndGet();
            }
        }).build();
    }

    private static McpSchema.CallToolResult error(String code, String message) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("code", code);
        o.put("message", message);
        String text;
        try {
            text = JSON.writeValueAsString(Map.of("error", o));
        } catch (IOException e) {
            text = code;
        }
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    private static Map<String, Object> info(MemoryVault.Info i) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", i.id());
        o.put("classification", i.classification());
        o.put("created_at", i.createdAt());
        o.put("created_by", i.createdBy());
        o.put("profile", i.profile());
        o.put("metadata", read(i.metadataJson()));
        o.put("tombstoned", i.tombstoned());
        o.put("intents", i.intents());
        return o;
    }

    private static Object read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return json;
        }
    }

    /** UTF-8 of text that is valid Unicode; an unpaired surrogate is refused rather than stored as '?'. */
    private static byte[] utf8(String text) {
        try {
            java.nio.ByteBuffer b = StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("content is not valid Unicode text (an unpaired surrogate)");
        }
    }

    private static String string(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof String s)) throw new IllegalArgumentException(name + " must be a string");
        return s;
    }

    private static int integer(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return n.intValue();
    }

    private static List<String> strings(Map<String, Object> args, String name) {
        Object v = args.get(name);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw new IllegalArgumentException(name + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) throw new IllegalArgumentException(name + " must be an array of strings");
            out.add(s);
        }
        return out;
    }
}
