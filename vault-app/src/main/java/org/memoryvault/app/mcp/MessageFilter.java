package org.memoryvault.app.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What reaches the MCP SDK: one JSON-RPC 2.0 message per line, checked first, because the SDK's
 * stdio reader stops reading at the first line it cannot parse (and the server would hang on,
 * holding the vault). A line is passed on only if it is at most {@value #MAX_LINE} bytes, parses
 * within depth {@value #MAX_DEPTH}, and is one object with {@code "jsonrpc": "2.0"} and an id that
 * is absent, a string or a number. Anything else is dropped and said on stderr.
 */
final class MessageFilter {
    static final int MAX_LINE = 8 << 20;
    static final int MAX_DEPTH = 64;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_LINE).build()).build());

    private MessageFilter() {}

    /** Copies good lines from {@code in} to {@code out} until {@code in} ends. */
    static void copy(InputStream in, OutputStream out, PrintStream log) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overlong = false;
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                if (line.size() < MAX_LINE) line.write(b);
                else overlong = true;
                continue;
            }
            if (overlong) {
                log.println("vault mcp: dropped a message longer than " + MAX_LINE + " bytes");
            } else if (line.size() > 0) {
                byte[] bytes = line.toByteArray();
                String why = check(bytes);
                if (why.isEmpty()) {
                    out.write(bytes);
                    out.write('\n');
                    out.flush();
                } else {
                    log.println("vault mcp: dropped a message: " + why);
                }
            }
            line.reset();
            overlong = false;
        }
        log.flush();
    }

    /** Empty when {@code bytes} is a message the SDK can take, else why not. */
    static String check(byte[] bytes) {
        JsonNode m;
        try {
            m = JSON.readTree(bytes);
        } catch (IOException e) {
            return "not JSON, or nested deeper than " + MAX_DEPTH;
        }
        if (m == null || !m.isObject()) return "not one JSON object (batches are not taken)";
        if (!"2.0".equals(m.path("jsonrpc").asText(null))) return "not JSON-RPC 2.0";
        JsonNode id = m.get("id");
        if (id != null && !id.isTextual() && !id.isIntegralNumber()) return "an id that is no string or integer";
        return "";
    }
}
