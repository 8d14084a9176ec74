package org.memoryvault.audit.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.port.AuditStore;

/** Converts between the store's hex head and a {@link CompactRange}. */
public final class Heads {
    private static final HexFormat HEX = HexFormat.of();

    private Heads() {}

    public static CompactRange toRange(AuditStore.Head head) {
        List<byte[]> hashes = new ArrayList<>(head.compactRange().size());
        for (String h : head.compactRange()) hashes.add(decode(h));
        return CompactRange.of(head.size(), hashes);
    }

    public static AuditStore.Head toHead(CompactRange range) {
        List<String> hashes = new ArrayList<>();
        for (byte[] h : range.hashes()) hashes.add(HEX.formatHex(h));
        return new AuditStore.Head(range.size(), hashes);
    }

    /** Decodes a stored 64-hex-digit hash; anything else is a damaged store. */
    public static byte[] decode(String hex) {
        if (hex.length() != 2 * TreeHasher.HASH_BYTES) throw damaged();
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw damaged();
        }
    }

    private static IntegrityException damaged() {
        return new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the audit store holds a malformed hash", null);
    }
}
