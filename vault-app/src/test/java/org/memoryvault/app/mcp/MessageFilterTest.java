package org.memoryvault.app.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only well-formed JSON-RPC lines reach the MCP SDK, whose reader would stop at a bad one. */
class MessageFilterTest {
    @Test
    void goodMessagesPass_badOnesAreDroppedAndSaid() throws Exception {
        String good1 = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        String good2 = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
        String input = String.join("\n", "not json", good1, "[" + good1 + "]", "{\"id\":2,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "[".repeat(1500) + "]".repeat(1500), "", good2) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MessageFilter.copy(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(good1 + "\n" + good2 + "\n");
        assertThat(log.toString(StandardCharsets.UTF_8).lines()).hasSize(6).allMatch(l -> l.startsWith("vault mcp: dropped"));
    }

    @Test
    void anOverlongLineIsDropped_andTheNextOnePasses() throws Exception {
        String good = "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"ping\"}";
        byte[] huge = new byte[MessageFilter.MAX_LINE + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(huge);
        input.write(('\n' + good + '\n').getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MessageFilter.copy(new ByteArrayInputStream(input.toByteArray()), out, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(good + "\n");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("longer than");
    }
}
