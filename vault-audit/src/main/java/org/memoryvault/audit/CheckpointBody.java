package org.memoryvault.audit;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;

/**
 * The text of a C2SP tlog-checkpoint: {@code "<origin>\n<tree size>\n<base64 root>\n"}. The
 * vault writes no extension lines; parsing accepts (and ignores) non-empty ones, as the spec says.
 *
 * @param origin   the log identity, {@code memory-vault/<vault id>} for this vault
 * @param treeSize number of leaves
 * @param rootHex  the RFC 9162 root, 64 lower-case hex digits
 */
public record CheckpointBody(String origin, long treeSize, String rootHex) {
    public CheckpointBody {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(rootHex, "rootHex");
        if (origin.isEmpty() || origin.indexOf('\n') >= 0) throw new IllegalArgumentException("origin");
        if (treeSize < 0) throw new IllegalArgumentException("treeSize");
        if (!rootHex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("rootHex");
    }

    public static CheckpointBody of(String origin, long treeSize, byte[] root) {
        return new CheckpointBody(origin, treeSize, HexFormat.of().formatHex(root));
    }

    /**
     * Parses a checkpoint text.
     *
     * @throws IntegrityException (INTEGRITY_AUDIT_LOG) if it is not one
     */
    public static CheckpointBody parse(String text) {
        if (!text.endsWith("\n")) throw malformed();
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) throw malformed();
        for (String l : lines) {
            if (l.isEmpty()) throw malformed();
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) throw malformed();
        long size;
        byte[] root;
        try {
            size = Long.parseLong(lines[1]);
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        if (root.length != MerkleHashes.HASH_BYTES || !Base64.getEncoder().encodeToString(root).equals(lines[2])) throw malformed();
        return of(lines[0], size, root);
    }

    public byte[] root() { return HexFormat.of().parseHex(rootHex); }

    /** The exact checkpoint text. */
    public String text() {
        return origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(root()) + "\n";
    }

    private static IntegrityException malformed() {
        return new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "not a checkpoint (origin, tree size, base64 root)", null);
    }
}
