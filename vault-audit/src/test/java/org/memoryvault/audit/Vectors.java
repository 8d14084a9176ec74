package org.memoryvault.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The published RFC 6962/9162 and signed-note vectors (test resource copied from shared/reference). */
final class Vectors {
    static final JsonNode ROOT = load();

    private Vectors() {}

    private static JsonNode load() {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/rfc6962-and-signed-note-vectors.json")) {
            if (in == null) throw new IllegalStateException("vectors resource missing");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hex(JsonNode n) { return HexFormat.of().parseHex(n.asText()); }

    static List<byte[]> hexList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(hex(n)));
        return out;
    }

    /** A root given either as "root1_hex" or as "root1_text" (raw bytes of the text). */
    static byte[] bytes(JsonNode obj, String prefix) {
        if (obj.has(prefix + "_hex")) return hex(obj.get(prefix + "_hex"));
        return obj.get(prefix + "_text").asText().getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> leaves() { return hexList(ROOT.get("leaves_hex")); }
}
