package org.memoryvault.domain.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;

/**
 * One record of a backup's encrypted stream (docs/FORMAT.md §14): a database row (its table and
 * its column values, each NULL, an integer, a real, a text or a blob), a file of the vault
 * directory (its relative path and bytes), or the end, which counts what came before it.
 *
 * <p>Security: a row or a file may hold wrapped keys, never a key in the clear; the record is only
 * ever written inside the backup's authenticated encryption.
 */
public final class BackupRecord {
    /** What a record is; the byte is its first byte in the stream. */
    public enum Kind { ROW, FILE, END, SIGNATURE, DELETE, SUMMARY }

    /** An Ed25519 public key and signature: a signature record's 96 bytes. */
    private static final int KEY_BYTES = 32;
    /** A summary's key digest: SHA-256. */
    private static final int DIGEST_BYTES = 32;
    private static final int SIGNATURE_BYTES = 64;

    private static final int MAX_NAME_BYTES = 4096;

    private final Kind kind;
    private final String name;
    private final List<@Nullable Object> values;
    private final byte[] bytes;
    private final long rows;
    private final long files;
    private final SortedMap<String, TableSummary> tables;

    private BackupRecord(Kind kind, String name, List<@Nullable Object> values, byte[] bytes, long rows, long files) {
        this(kind, name, values, bytes, rows, files, Collections.emptySortedMap());
    }

    private BackupRecord(Kind kind, String name, List<@Nullable Object> values, byte[] bytes, long rows, long files,
                         SortedMap<String, TableSummary> tables) {
        this.tables = tables;
        this.kind = kind;
        this.name = name;
        this.values = values;
        this.bytes = bytes;
        this.rows = rows;
        this.files = files;
    }

    /** A row of {@code table}: values are {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}. */
    public static BackupRecord row(String table, List<@Nullable Object> values) {
        List<@Nullable Object> copy = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v != null && !(v instanceof Long) && !(v instanceof Double) && !(v instanceof String) && !(v instanceof byte[])) {
                throw new IllegalArgumentException("a backup row value is NULL, a Long, a Double, a String or a byte[]: " + v.getClass());
            }
            copy.add(v instanceof byte[] b ? b.clone() : v);
        }
        return new BackupRecord(Kind.ROW, Objects.requireNonNull(table, "table"), Collections.unmodifiableList(copy), new byte[0], 0, 0);
    }

    /**
     * In an incremental backup: the row of {@code table} whose key columns hold {@code key} (in the
     * order of the table's primary key) no longer exists.
     */
    public static BackupRecord deletion(String table, List<@Nullable Object> key) {
        BackupRecord r = row(table, new ArrayList<>(key));
        return new BackupRecord(Kind.DELETE, r.name, r.values, new byte[0], 0, 0);
    }

    /**
     * Each table's row count and key digest in the snapshot the backup was made from: a restore
     * checks what it built against it.
     */
    public static BackupRecord summary(Map<String, TableSummary> byTable) {
        return new BackupRecord(Kind.SUMMARY, "", List.of(), new byte[0], 0, 0, Collections.unmodifiableSortedMap(new TreeMap<>(byTable)));
    }

    /** A summary record's tables (empty for any other record). */
    public SortedMap<String, TableSummary> tables() { return tables; }

    /** A file of the vault directory, by its path relative to it (with '/'). */
    public static BackupRecord file(String path, byte[] content) {
        return new BackupRecord(Kind.FILE, Objects.requireNonNull(path, "path"), List.of(), content.clone(), 0, 0);
    }

    /** The last record: how many rows and files came before it. */
    public static BackupRecord end(long rows, long files) {
        return new BackupRecord(Kind.END, "", List.of(), new byte[0], rows, files);
    }

    /**
     * The owner's signature of the backup (docs/FORMAT.md §14): the owner's seal public key and
     * its Ed25519 signature of everything before it; the last record before the end record.
     */
    public static BackupRecord signature(byte[] publicKey, byte[] signature) {
        if (publicKey.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes and a signature 64");
        }
        byte[] both = new byte[KEY_BYTES + SIGNATURE_BYTES];
        System.arraycopy(publicKey, 0, both, 0, KEY_BYTES);
        System.arraycopy(signature, 0, both, KEY_BYTES, SIGNATURE_BYTES);
        return new BackupRecord(Kind.SIGNATURE, "", List.of(), both, 0, 0);
    }

    public Kind kind() { return kind; }

    /** A signature record's public key. */
    public byte[] signerKey() { return java.util.Arrays.copyOf(bytes, KEY_BYTES); }

    /** A signature record's signature. */
    public byte[] signature() { return java.util.Arrays.copyOfRange(bytes, KEY_BYTES, KEY_BYTES + SIGNATURE_BYTES); }

    /** The table of a row, the path of a file. */
    public String name() { return name; }

    /** A row's values, in the table's column order (byte arrays are copies). */
    public List<@Nullable Object> values() {
        List<@Nullable Object> out = new ArrayList<>(values.size());
        for (Object v : values) out.add(v instanceof byte[] b ? b.clone() : v);
        return out;
    }

    /** A file's content. */
    public byte[] content() { return bytes.clone(); }

    public long rows() { return rows; }

    public long files() { return files; }

    /**
     * The record's bytes: u8 kind (1 row, 2 file, 3 end, 4 signature, 5 deletion, 6 summary); a row
     * or a deletion: string table, u16 count, then per value u8 tag (0 NULL, 1 i64be, 2 f64be, 3
     * u32be length + UTF-8, 4 u32be length + bytes); a file: string path, u32be length + bytes; the
     * end: i64be rows, i64be files; a signature: the 32-byte public key and the 64-byte signature;
     * a summary: u16 count, then per table string table, i64be rows, the 32-byte key digest. A
     * string is u16be length + UTF-8.
     */
    public byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + bytes.length);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(kind.ordinal() + 1);
            switch (kind) {
                case ROW, DELETE -> {
                    writeString(out, name);
                    out.writeShort(values.size());
                    for (Object v : values) {
                        if (v == null) {
                            out.writeByte(0);
                        } else if (v instanceof Long l) {
                            out.writeByte(1);
                            out.writeLong(l);
                        } else if (v instanceof Double d) {
                            out.writeByte(2);
                            out.writeDouble(d);
                        } else if (v instanceof String s) {
                            byte[] b = s.getBytes(StandardCharsets.UTF_8);
                            out.writeByte(3);
                            out.writeInt(b.length);
                            out.write(b);
                        } else {
                            byte[] b = (byte[]) v;
                            out.writeByte(4);
                            out.writeInt(b.length);
                            out.write(b);
                        }
                    }
                }
                case FILE -> {
                    writeString(out, name);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                case END -> {
                    out.writeLong(rows);
                    out.writeLong(files);
                }
                case SIGNATURE -> out.write(bytes);
                case SUMMARY -> {
                    out.writeShort(tables.size());
                    for (var e : tables.entrySet()) {
                        writeString(out, e.getKey());
                        out.writeLong(e.getValue().rows());
                        out.write(java.util.HexFormat.of().parseHex(e.getValue().keyDigest()));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return buffer.toByteArray();
    }

    /** The record these bytes encode; anything else (truncated, trailing bytes, bad UTF-8, unknown tag) is {@code INTEGRITY_TAMPERED}. */
    public static BackupRecord decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            int k = in.readUnsignedByte();
            BackupRecord r;
            switch (k) {
                case 1, 5 -> {
                    String table = readString(in);
                    int n = in.readUnsignedShort();
                    List<@Nullable Object> values = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        int tag = in.readUnsignedByte();
                        switch (tag) {
                            case 0 -> values.add(null);
                            case 1 -> values.add(in.readLong());
                            case 2 -> values.add(in.readDouble());
                            case 3 -> values.add(utf8(readBytes(in, in.readInt())));
                            case 4 -> values.add(readBytes(in, in.readInt()));
                            default -> throw malformed("value tag " + tag);
                        }
                    }
                    r = new BackupRecord(k == 1 ? Kind.ROW : Kind.DELETE, table, Collections.unmodifiableList(values), new byte[0], 0, 0);
                }
                case 2 -> {
                    String path = readString(in);
                    r = new BackupRecord(Kind.FILE, path, List.of(), readBytes(in, in.readInt()), 0, 0);
                }
                case 3 -> r = new BackupRecord(Kind.END, "", List.of(), new byte[0], in.readLong(), in.readLong());
                case 4 -> r = new BackupRecord(Kind.SIGNATURE, "", List.of(), readBytes(in, KEY_BYTES + SIGNATURE_BYTES), 0, 0);
                case 6 -> {
                    int n = in.readUnsignedShort();
                    TreeMap<String, TableSummary> byTable = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        String table = readString(in);
                        long rows = in.readLong();
                        String digest = java.util.HexFormat.of().formatHex(readBytes(in, DIGEST_BYTES));
                        if (rows < 0 || byTable.put(table, new TableSummary(rows, digest)) != null) throw malformed("summary");
                    }
                    r = new BackupRecord(Kind.SUMMARY, "", List.of(), new byte[0], 0, 0, Collections.unmodifiableSortedMap(byTable));
                }
                default -> throw malformed("record kind " + k);
            }
            if (in.available() != 0) throw malformed("trailing bytes");
            return r;
        } catch (EOFException e) {
            throw malformed("truncated");
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_NAME_BYTES) throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " bytes");
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return utf8(readBytes(in, in.readUnsignedShort()));
    }

    private static byte[] readBytes(DataInputStream in, int n) throws IOException {
        if (n < 0 || n > in.available()) throw malformed("a length beyond the record");
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("text that is not UTF-8");
        }
    }

    private static IntegrityException malformed(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "a backup record is malformed (" + what + ")", null);
    }

    @Override public boolean equals(Object o) {
        return o instanceof BackupRecord r && Arrays.equals(encode(), r.encode());
    }

    @Override public int hashCode() { return Arrays.hashCode(encode()); }

    @Override public String toString() {
        return "BackupRecord[" + kind + " " + name + (kind == Kind.ROW || kind == Kind.DELETE ? ", " + values.size() + " values" : "") + "]";
    }
}
