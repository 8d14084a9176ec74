package org.memoryvault.storage.sqlite.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a list of strings as a JSON array (RFC 8259) and decodes one back: the storage form of a
 * memory's intent references. Only arrays of strings are accepted; anything else is malformed.
 */
public final class JsonStringArray {
    private JsonStringArray() {}

    public static String encode(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String v : values) {
            if (out.length() > 1) out.append(',');
            out.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    /**
     * Decodes a JSON array of strings.
     *
     * @throws IllegalArgumentException if {@code json} is not exactly that
     */
    public static List<String> decode(String json) {
        Parser p = new Parser(json);
        List<String> out = new ArrayList<>();
        p.skipSpace();
        p.expect('[');
        p.skipSpace();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                out.add(p.string());
                p.skipSpace();
                char c = p.next();
                if (c == ']') break;
                if (c != ',') throw new IllegalArgumentException("expected , or ] at " + (p.pos - 1));
            }
        }
        p.skipSpace();
        if (p.pos != json.length()) throw new IllegalArgumentException("trailing characters after the array");
        return out;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) { this.s = s; }

        char peek() {
            if (pos >= s.length()) throw new IllegalArgumentException("unexpected end");
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) throw new IllegalArgumentException("expected " + c + " at " + (pos - 1));
        }

        void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) pos++;
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return out.toString();
                if (c < 0x20) throw new IllegalArgumentException("control character in a string");
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(next(), 16);
                            if (digit < 0) throw new IllegalArgumentException("bad \\u escape");
                            code = code * 16 + digit;
                        }
                        out.append((char) code);
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }
    }
}
