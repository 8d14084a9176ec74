package org.memoryvault.domain.model;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One table of a database as a backup summarises it (docs/FORMAT.md §14, the summary record): how
 * many rows it holds and the SHA-256 (hex) of their keys in key order, so a restore can tell that
 * it rebuilt the very rows, not merely as many.
 */
public record TableSummary(long rows, String keyDigest) {
    public TableSummary {
        if (rows < 0) throw new IllegalArgumentException("rows < 0");
        if (!Objects.requireNonNull(keyDigest, "keyDigest").matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("keyDigest is not a hex SHA-256");
        }
    }

    /** Starts the summary of {@code table}: give it every row's key, in key order. */
    public static Digest of(String table) { return new Digest(table); }

    /**
     * SHA-256 over, for each row in key order, {@code u32be length || record}, where the record is
     * the bytes of a deletion record of that key ({@link BackupRecord#deletion}).
     */
    public static final class Digest {
        private final String table;
        private final MessageDigest sha256;
        private long rows;

        private Digest(String table) {
            this.table = Objects.requireNonNull(table, "table");
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no SHA-256 in this JDK", e);
            }
        }

        /** The next row's key values. */
        public void add(List<@Nullable Object> key) {
            byte[] encoded = BackupRecord.deletion(table, key).encode();
            sha256.update(ByteBuffer.allocate(4).putInt(encoded.length).array());
            sha256.update(encoded);
            rows++;
        }

        public TableSummary finish() { return new TableSummary(rows, HexFormat.of().formatHex(sha256.digest())); }
    }
}
