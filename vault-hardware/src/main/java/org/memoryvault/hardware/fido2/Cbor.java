package org.memoryvault.hardware.fido2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CBOR that CTAP2 speaks (RFC 8949, with CTAP2's canonical rules): unsigned and negative
 * integers as {@link Long}, byte strings as {@code byte[]}, text as {@link String}, arrays as
 * {@link List}, maps as {@link Map} (keys {@link Long} or {@link String}), {@link Boolean} and
 * {@link Simple#NULL}. Encoding is canonical (shortest heads, map keys sorted by their encoding's
 * length, then bytes); decoding is strict: definite lengths only, no tags, no floats, no duplicate
 * keys, no trailing bytes, at most {@value #MAX_DEPTH} levels, and every length bounded by the input.
 */
final class Cbor {
    public static final int MAX_DEPTH = 8;

    /** CBOR's simple value null (Java's null is not a value here). */
    public enum Simple { NULL }

    /** Input that is not the CBOR this class reads. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) { super(message, null, false, false); }
    }

    private Cbor() {}

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof Long || value instanceof Integer) {
            long v = ((Number) value).longValue();
            if (v >= 0) head(out, 0, v);
            else head(out, 1, -1 - v);
        } else if (value instanceof byte[] b) {
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (value instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(out, 3, b.length);
            out.writeBytes(b);
        } else if (value instanceof List<?> list) {
            head(out, 4, list.size());
            for (Object o : list) write(out, o);
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<byte[], byte[]> sorted = new TreeMap<>(Cbor::canonicalOrder);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (sorted.put(encode(e.getKey()), encode(e.getValue())) != null) throw new IllegalArgumentException("duplicate key");
            }
            head(out, 5, sorted.size());
            sorted.forEach((k, v) -> {
                out.writeBytes(k);
                out.writeBytes(v);
            });
        } else if (value instanceof Boolean b) {
            out.write(b ? 0xf5 : 0xf4);
        } else if (value == Simple.NULL) {
            out.write(0xf6);
        } else {
            throw new IllegalArgumentException("no CBOR for " + value.getClass().getSimpleName());
        }
    }

    /** CTAP2's canonical key order: shorter encodings first, then bytewise. */
    private static int canonicalOrder(byte[] a, byte[] b) {
        return a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b);
    }

    private static void head(ByteArrayOutputStream out, int major, long n) {
        int m = major << 5;
        if (n < 24) {
            out.write(m | (int) n);
        } else if (n < 0x100) {
            out.write(m | 24);
            out.write((int) n);
        } else if (n < 0x10000) {
            out.write(m | 25);
            for (int i = 1; i >= 0; i--) out.write((int) (n >>> (8 * i)));
        } else if (n < 0x1_0000_0000L) {
            out.write(m | 26);
            for (int i = 3; i >= 0; i--) out.write((int) (n >>> (8 * i)));
        } else {
            out.write(m | 27);
            for (int i = 7; i >= 0; i--) out.write((int) (n >>> (8 * i)));
        }
    }

    /** Decodes exactly one item that fills {@code in}. */
    public static Object decode(byte[] in) throws MalformedException {
        Reader r = new Reader(in, 0);
        Object v = r.item(0);
        if (r.pos != in.length) throw new MalformedException("trailing bytes after the CBOR item");
        return v;
    }

    /** Decodes the one item at the start of {@code in}; {@code end[0]} receives where it ends (authenticator data carries CBOR then more bytes). */
    public static Object decodePrefix(byte[] in, int from, int[] end) throws MalformedException {
        Reader r = new Reader(in, from);
        Object v = r.item(0);
        end[0] = r.pos;
        return v;
    }

    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        private int u8() throws MalformedException {
            if (pos >= in.length) throw new MalformedException("CBOR ends early");
            return in[pos++] & 0xff;
        }

        private long argument(int info) throws MalformedException {
            if (info < 24) return info;
            int bytes = switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> throw new MalformedException("CBOR indefinite lengths and reserved values are refused");
            };
            long v = 0;
            for (int i = 0; i < bytes; i++) v = (v << 8) | u8();
            if (bytes == 8 && v < 0) throw new MalformedException("CBOR integer beyond 2^63");
            return v;
        }

        private int length(long n) throws MalformedException {
            if (n > in.length - pos) throw new MalformedException("CBOR length beyond the input");
            return (int) n;
        }

        Object item(int depth) throws MalformedException {
            if (depth > MAX_DEPTH) throw new MalformedException("CBOR nested deeper than " + MAX_DEPTH);
            int initial = u8();
            int major = initial >>> 5;
            int info = initial & 0x1f;
            switch (major) {
                case 0:
                    return argument(info);
                case 1:
                    return -1 - argument(info);
                case 2: {
                    int n = length(argument(info));
                    byte[] b = Arrays.copyOfRange(in, pos, pos + n);
                    pos += n;
                    return b;
                }
                case 3: {
                    int n = length(argument(info));
                    try {
                        String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(java.nio.ByteBuffer.wrap(in, pos, n)).toString();
                        pos += n;
                        return s;
                    } catch (CharacterCodingException e) {
                        throw new MalformedException("CBOR text that is not UTF-8");
                    }
                }
                case 4: {
                    int n = length(argument(info));         // each item takes at least one byte
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) list.add(item(depth + 1));
                    return list;
                }
                case 5: {
                    int n = length(argument(info));
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        Object k = item(depth + 1);
                        if (!(k instanceof Long) && !(k instanceof String)) throw new MalformedException("CBOR map key that is no integer or text");
                        if (map.put(k, item(depth + 1)) != null) throw new MalformedException("CBOR map with a duplicate key");
                    }
                    return map;
                }
                case 7:
                    return switch (info) {
                        case 20 -> Boolean.FALSE;
                        case 21 -> Boolean.TRUE;
                        case 22 -> Simple.NULL;
                        default -> throw new MalformedException("CBOR floats and other simple values are refused");
                    };
                default:
                    throw new MalformedException("CBOR tags are refused");
            }
        }
    }
}
