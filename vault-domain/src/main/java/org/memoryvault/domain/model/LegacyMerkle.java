package org.memoryvault.domain.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Python vault's recall Merkle tree (docs/IMPORT.md, "The legacy audit tree"), recomputed to
 * check a legacy vault before its history is imported: a leaf is the double SHA-256 of
 * {@code request_id|memory_id|requester|timestamp|approved|justification}; two nodes combine as
 * the double SHA-256 of their hex strings, the smaller first; an unpaired node pairs with itself;
 * one leaf is its own root. Every hash is 64-character lower-case hex.
 */
public final class LegacyMerkle {
    private LegacyMerkle() {}

    /** The leaf hash of a recall_log row ({@code justification} NULL as the empty string). */
    public static String leafHash(String requestId, String memoryId, String requester, String timestamp, boolean approved,
                                  String justification) {
        String leaf = requestId + "|" + memoryId + "|" + requester + "|" + timestamp + "|" + (approved ? "1" : "0") + "|" + justification;
        return doubleSha256(leaf.getBytes(StandardCharsets.UTF_8));
    }

    /** The root over {@code leaves} in order; empty for no leaves. */
    public static Optional<String> root(List<String> leaves) {
        if (leaves.isEmpty()) return Optional.empty();
        List<String> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<String> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                String a = level.get(i);
                String b = i + 1 < level.size() ? level.get(i + 1) : a;
                String pair = a.compareTo(b) <= 0 ? a + b : b + a;
                next.add(doubleSha256(pair.getBytes(StandardCharsets.US_ASCII)));
            }
            level = next;
        }
        return Optional.of(level.get(0));
    }

    private static String doubleSha256(byte[] input) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(d.digest(input)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
