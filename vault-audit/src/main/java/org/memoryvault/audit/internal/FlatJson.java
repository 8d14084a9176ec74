package org.memoryvault.audit.internal;

import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads one flat JSON object whose values are strings, integers or booleans, written without
 * insignificant whitespace: the shape of an audit entry. Anything else (nesting, floats, nulls,
 * duplicate keys, whitespace, trailing bytes) is rejected. The verifier re-encodes the result
 * canonically and compares bytes, so this reader may accept a little more than canonical form.
 */
public final class FlatJson {
    private final String s;
    private int pos;

    private FlatJson(String s) { this.s = s; }

    /** The object's members in key order, or empty if {@code text} is not such an object. */
    public static Optional<TreeMap<String, Object>> parse(String text) {
        FlatJson p = new FlatJson(text);
        try {
            TreeMap<String, Object> out = p.object();
            return p.pos == text.length() ? Optional.of(out) : Optional.empty();
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    private TreeMap<String, Object> object() throws Malformed {
        TreeMap<String, Object> out = new TreeMap<>();
        expect('{');
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            String key = string();
            expect(':');
            Object value = value();
            if (out.put(key, value) != null) throw new Malformed();
            char c = next();
            if (c == '}') return out;
            if (c != ',') throw new Malformed();
        }
    }

    private Object value() throws Malformed {
        char c = peek();
        if (c == '"') return string();
        if (c == 't') return literal("true", Boolean.TRUE);
        if (c == 'f') return literal("false", Boolean.FALSE);
        if (c == '-' || (c >= '0' && c <= '9')) return integer();
        throw new Malformed();
    }

    private Object literal(String word, Boolean value) throws Malformed {
        if (!s.startsWith(word, pos)) throw new Malformed();
        pos += word.length();
        return value;
    }

    private Long integer() throws Malformed {
        int start = pos;
        if (peek() == '-') pos++;
        int digits = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
        if (pos == digits || (s.charAt(digits) == '0' && pos - digits > 1)) throw new Malformed();
        try {
            return Long.parseLong(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new Malformed();
        }
    }

    private String string() throws Malformed {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return b.toString();
            if (c < 0x20) throw new Malformed();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    int unit = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(next(), 16);
                        if (d < 0) throw new Malformed();
                        unit = unit << 4 | d;
                    }
                    b.append((char) unit);
                    break;
                default: throw new Malformed();
            }
        }
    }

    private void expect(char c) throws Malformed {
        if (next() != c) throw new Malformed();
    }

    private char peek() throws Malformed {
        if (pos >= s.length()) throw new Malformed();
        return s.charAt(pos);
    }

    private char next() throws Malformed {
        char c = peek();
        pos++;
        return c;
    }

    /** Control flow for bad input; never escapes this class. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed() { super(null, null, false, false); }
    }
}
