package org.memoryvault.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memoryvault.audit.internal.FlatJson;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A self-contained existence proof of one memory (docs/PROOFS.md): the audit entry that logged the
 * memory's keyed content commitment ({@code memory.store} or {@code memory.commit}), its RFC 9162
 * inclusion proof, and a checkpoint signed by the vault's audit key whose tree contains it. It is a
 * commitment plus a signed inclusion proof, not a zero-knowledge proof: it shows that the vault had
 * logged this commitment for this memory id when it signed the checkpoint, and, with the content
 * and the commitment's opening, that the content is the one committed. Verified with no vault.
 *
 * @param memoryId      the memory's id (a UUID), as in the entry
 * @param commitment    the keyed commitment (64 lower-case hex digits), as in the entry
 * @param entry         the exact canonical text of the audit entry (docs/AUDIT.md)
 * @param index         the entry's leaf index
 * @param treeSize      the size of the checkpoint's tree
 * @param inclusionPath the RFC 9162 inclusion path, leaf side first, lower-case hex
 * @param checkpoint    the signed note of the checkpoint (docs/AUDIT.md, "Checkpoints")
 */
public record ExistenceProof(String memoryId, String commitment, String entry, long index, long treeSize,
                             List<String> inclusionPath, String checkpoint) {
    /** The value of the proof document's {@code format} member. */
    public static final String FORMAT = "memory-vault/existence-proof/1";
    /** The value of the opening document's {@code format} member. */
    public static final String OPENING_FORMAT = "memory-vault/commitment-opening/1";
    /** The entry types that carry a memory's commitment. */
    public static final Set<String> ENTRY_TYPES = Set.of("memory.store", "memory.commit");

    private static final HexFormat HEX = HexFormat.of();

    public ExistenceProof {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(checkpoint, "checkpoint");
        inclusionPath = List.copyOf(inclusionPath);
    }

    /** What a proof that verified shows. {@code at} is the entry's own timestamp: the vault's clock, not signed by anyone else. */
    public record Verified(String memoryId, String type, int classification, Instant at, long index, long treeSize,
                           String rootHex, String origin, String commitment) {}

    /**
     * Checks the proof against the vault's verifier key (what {@code vault audit key} printed).
     *
     * @throws IntegrityException with the first check that failed: {@code INTEGRITY_SIGNATURE} for the checkpoint's
     *         signature, {@code INTEGRITY_AUDIT_LOG} for the entry and the inclusion proof
     */
    public Verified verify(VerifierKey key) {
        SignedNote note = SignedNote.parse(checkpoint);
        if (!note.verifiedBy(key)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_SIGNATURE, note.hasLineFor(key)
                    ? "the checkpoint's signature does not verify under the verifier key"
                    : "the checkpoint is not signed by the verifier key " + key.name() + "+" + key.keyIdHex(), null);
        }
        CheckpointBody body = CheckpointBody.parse(note.text());
        if (!body.text().equals(note.text())) throw broken("the checkpoint has lines a vault checkpoint does not have");
        if (!body.origin().equals(key.name())) throw broken("the checkpoint's origin is not the verifier key's name");
        if (body.treeSize() != treeSize) throw broken("tree_size is " + treeSize + " but the checkpoint's tree has " + body.treeSize());
        if (index < 0 || index >= treeSize) throw broken("index " + index + " is not in the tree of size " + treeSize);

        TreeMap<String, Object> fields = FlatJson.parse(entry).orElseThrow(() -> broken("the entry is not a flat JSON object"));
        if (!CanonicalJson.object(fields).equals(entry)) throw broken("the entry is not in canonical form (docs/AUDIT.md)");
        Object type = fields.get("type");
        if (!(type instanceof String t) || !ENTRY_TYPES.contains(t)) throw broken("the entry is not a memory.store or memory.commit entry");
        if (!Long.valueOf(index).equals(fields.get("seq"))) throw broken("the entry's seq is not the proof's index " + index);
        if (!memoryId.equals(fields.get("memory_id"))) throw broken("the entry is about another memory than " + memoryId);
        if (!commitment.equals(fields.get("commitment"))) throw broken("the entry does not carry the proof's commitment");
        if (!(fields.get("classification") instanceof Long level) || level < 0 || level > 5) throw broken("the entry has no classification");
        Instant at;
        try {
            at = Instant.parse((String) fields.get("at"));
        } catch (RuntimeException e) {
            throw broken("the entry's time is malformed");
        }

        List<byte[]> path = new ArrayList<>(inclusionPath.size());
        for (String h : inclusionPath) {
            if (!h.matches("[0-9a-f]{64}")) throw broken("the inclusion path has a hash that is not 64 lower-case hex digits");
            path.add(HEX.parseHex(h));
        }
        byte[] leaf = new TreeHasher().leaf(entry.getBytes(StandardCharsets.UTF_8));
        if (!MerkleProofs.verifyInclusion(leaf, index, treeSize, path, body.root())) {
            throw broken("the inclusion proof does not lead to the checkpoint's root: the entry is not in that tree");
        }
        return new Verified(memoryId, t, level.intValue(), at, index, treeSize, body.rootHex(), body.origin(), commitment);
    }

    /**
     * Whether {@code content} is what the proof's commitment commits to, under the commitment's
     * opening (the memory's 32-byte commit key): HMAC-SHA-256(key, memory id as 16 bytes || content).
     */
    public boolean opensTo(byte[] commitKey, byte[] content) {
        try {
            return opensTo(commitKey, new java.io.ByteArrayInputStream(content));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@link #opensTo(byte[], byte[])} for content read from {@code content} to its end. */
    public boolean opensTo(byte[] commitKey, java.io.InputStream content) throws java.io.IOException {
        if (commitKey.length != 32) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an opening's key is 32 bytes");
        UUID id;
        try {
            id = UUID.fromString(memoryId);
        } catch (IllegalArgumentException e) {
            throw broken("memory_id is not a UUID");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(commitKey, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
            byte[] buffer = new byte[1 << 16];
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) mac.update(buffer, 0, n);
            byte[] tag = mac.doFinal();
            return commitment.matches("[0-9a-f]{64}") && MessageDigest.isEqual(tag, HEX.parseHex(commitment));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** The proof document (docs/PROOFS.md), members in a fixed order. */
    public String toJson() {
        return "{\"format\":" + CanonicalJson.quote(FORMAT) + ",\"memory_id\":" + CanonicalJson.quote(memoryId)
                + ",\"commitment\":" + CanonicalJson.quote(commitment) + ",\"entry\":" + CanonicalJson.quote(entry)
                + ",\"index\":" + index + ",\"tree_size\":" + treeSize + ",\"inclusion_path\":" + JsonArrays.strings(inclusionPath)
                + ",\"checkpoint\":" + CanonicalJson.quote(checkpoint) + "}";
    }

    /** The entry's members, if it is a flat JSON object; for finding the entry that carries a commitment. */
    public static Optional<TreeMap<String, Object>> fields(String entryText) {
        return FlatJson.parse(entryText);
    }

    private static IntegrityException broken(String why) {
        return new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "proof rejected: " + why, null);
    }
}
