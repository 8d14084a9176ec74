package org.memoryvault.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;

/**
 * The canonical JSON encoding of audit entries (docs/AUDIT.md §Entries): one object, members
 * sorted by key (UTF-16 code unit order, as RFC 8785), no insignificant whitespace, values that
 * are strings, integers or booleans only, strings escaped minimally and deterministically.
 * The same input always gives the same bytes, so the bytes can be hashed.
 */
public final class CanonicalJson {
    /** Member names an event's own fields may not use. */
    public static final Set<String> RESERVED = Set.of("type", "at", "seq");

    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /**
     * The exact text of the entry at index {@code seq}: the event's fields plus
     * {@code "type"}, {@code "at"} (RFC 3339 UTC, milliseconds) and {@code "seq"}.
     *
     * @throws InvalidInputException if a field uses a reserved name or the time is outside years 0000-9999
     */
    public static String entry(AuditEvent event, long seq) {
        TreeMap<String, Object> members = new TreeMap<>();
        for (Map.Entry<String, Object> f : event.fields().entrySet()) {
            if (RESERVED.contains(f.getKey())) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "audit field name '" + f.getKey() + "' is reserved");
            }
            members.put(f.getKey(), f.getValue());
        }
        members.put("type", event.type());
        members.put("at", instant(event.at()));
        members.put("seq", seq);
        return object(members);
    }

    /** An object of string, integer and boolean members, in key order. */
    public static String object(SortedMap<String, ?> members) {
        StringBuilder b = new StringBuilder(64 + 32 * members.size());
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> m : members.entrySet()) {
            if (!first) b.append(',');
            first = false;
            quote(m.getKey(), b);
            b.append(':');
            value(m.getValue(), b);
        }
        return b.append('}').toString();
    }

    /** RFC 3339 in UTC with exactly three fraction digits, e.g. {@code 2025-03-01T12:00:00.250Z}; sub-millisecond digits are dropped. */
    public static String instant(Instant at) {
        Instant t = at.truncatedTo(ChronoUnit.MILLIS);
        int year = t.atOffset(ZoneOffset.UTC).getYear();
        if (year < 0 || year > 9999) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "audit time outside years 0000-9999");
        return AT.format(t);
    }

    /** A JSON string literal for {@code s}, escaped by the rules above. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(s, b);
        return b.toString();
    }

    static void value(Object v, StringBuilder b) {
        if (v instanceof String s) {
            quote(s, b);
        } else if (v instanceof Long || v instanceof Integer) {
            b.append(v);
        } else if (v instanceof Boolean bool) {
            b.append(bool.booleanValue() ? "true" : "false");
        } else {
            throw new IllegalArgumentException("audit values are strings, integers or booleans");
        }
    }

    static void quote(String s, StringBuilder b) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\b': b.append("\\b"); break;
                case '\t': b.append("\\t"); break;
                case '\n': b.append("\\n"); break;
                case '\f': b.append("\\f"); break;
                case '\r': b.append("\\r"); break;
                default:
                    if (c < 0x20) {
                        unicodeEscape(c, b);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            b.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(c, b);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(c, b);
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder b) {
        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
