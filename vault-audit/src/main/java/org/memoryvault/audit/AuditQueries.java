package org.memoryvault.audit;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.memoryvault.audit.internal.Heads;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.StoredTree;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.port.AuditStore;

/**
 * Read-only views of the audit log for the CLI: inclusion and consistency proofs, entry export,
 * filtered listing, and the archive of kept checkpoints with their keys. JSON documents follow the
 * CLI contract in docs/AUDIT.md. Nothing here writes.
 *
 * <p>Security: proofs are built from stored hashes and are meant to be checked by the reader
 * against a checkpoint whose signature they verified; a damaged store gives proofs that fail to
 * verify, never a false success for the reader.
 */
public final class AuditQueries {
    private static final HexFormat HEX = HexFormat.of();
    private static final int BATCH = 4096;

    private final AuditStore store;
    private final AuditConfig config;

    @Inject
    public AuditQueries(AuditStore store, AuditConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The inclusion proof of entry {@code index} in the tree of {@code treeSize} leaves (default:
     * the latest checkpoint's size).
     *
     * @throws InvalidInputException if there is no checkpoint to default to, or the index or size is outside the log
     */
    public InclusionProof inclusionProof(long index, OptionalLong treeSize) {
        long size = sizeOrLatest(treeSize);
        if (index < 0 || index >= size) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "index " + index + " is not in the tree of size " + size);
        }
        List<AuditStore.Entry> entry = store.entries(index, 1);
        if (entry.isEmpty() || entry.get(0).index() != index) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit entry " + index + " is missing", null);
        }
        byte[] leaf = new TreeHasher().leaf(entry.get(0).text().getBytes(StandardCharsets.UTF_8));
        List<byte[]> path = ProofBuilder.inclusion(new StoredTree(store, MerkleAuditLog.TILE_HEIGHT), index, size);
        return new InclusionProof(index, size, HEX.formatHex(leaf), hex(path));
    }

    /**
     * The consistency proof from the tree of {@code first} leaves to that of {@code second}
     * (default: the latest checkpoint's size).
     *
     * @throws InvalidInputException if there is no checkpoint to default to, or the sizes are out of order or beyond the log
     */
    public ConsistencyProof consistencyProof(long first, OptionalLong second) {
        long size = sizeOrLatest(second);
        if (first < 0 || first > size) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "first size " + first + " must be between 0 and " + size);
        }
        List<byte[]> proof = ProofBuilder.consistency(new StoredTree(store, MerkleAuditLog.TILE_HEIGHT), first, size);
        return new ConsistencyProof(first, size, hex(proof));
    }

    /** The RFC 9162 root of the first {@code treeSize} entries, as stored hashes give it (lower-case hex). */
    public String rootAt(long treeSize) {
        requireSize(treeSize);
        if (treeSize == 0) return HEX.formatHex(MerkleHashes.emptyRoot());
        return HEX.formatHex(new StoredTree(store, MerkleAuditLog.TILE_HEIGHT).hash(0, treeSize));
    }

    /** The number of entries in the log. */
    public long size() { return store.head().size(); }

    /** Entries {@code [from, to)}, ascending; at most {@code to - from}, which the caller keeps small. */
    public List<AuditRecord> entries(long from, long to) {
        List<AuditRecord> out = new ArrayList<>();
        forEachEntry(from, to, out::add);
        return out;
    }

    /**
     * Writes {@code {"entries":[{"index":i,"entry":"<exact entry text>"},...]}} for entries
     * {@code [from, to)} (defaults: 0 and the log size), streaming in batches.
     */
    public void writeExportJson(OptionalLong from, OptionalLong to, Appendable out) {
        long size = store.head().size();
        long start = from.orElse(0);
        long end = to.orElse(size);
        if (start < 0 || start > end || end > size) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "export range " + start + ".." + end + " is outside the log of size " + size);
        }
        try {
            out.append("{\"entries\":[");
            boolean[] first = {true};
            forEachEntry(start, end, r -> {
                try {
                    if (!first[0]) out.append(',');
                    first[0] = false;
                    out.append(r.toJson());
                } catch (IOException e) {
                    throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "could not write the audit export", e);
                }
            });
            out.append("]}");
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "could not write the audit export", e);
        }
    }

    /** {@link #writeExportJson} into a string, for small ranges. */
    public String exportJson(OptionalLong from, OptionalLong to) {
        StringBuilder b = new StringBuilder();
        writeExportJson(from, to, b);
        return b.toString();
    }

    /**
     * The last {@code limit} entries about memory {@code memoryId} and of {@code type} (each
     * filter only if present), oldest first. Read from the store's query columns, not re-verified.
     */
    public List<AuditRecord> log(Optional<String> memoryId, Optional<String> type, int limit) {
        if (limit < 1) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "limit must be at least 1");
        List<AuditRecord> out = new ArrayList<>();
        for (AuditStore.Entry e : store.find(memoryId, type, limit)) out.add(record(e));
        return out;
    }

    /**
     * Writes the archive of kept checkpoints with tree size below {@code beforeSize} (all if
     * absent), each with its key epoch, and the verifier keys of those epochs:
     * {@code {"origin":..,"keys":[..],"checkpoints":[..]}} (docs/AUDIT.md). Nothing is deleted.
     */
    public void writeArchiveJson(OptionalLong beforeSize, Appendable out) {
        long limit = beforeSize.orElse(Long.MAX_VALUE);
        TreeMap<Integer, AuditStore.SigningKey> keys = new TreeMap<>();
        for (AuditStore.SigningKey k : store.keys()) keys.put(k.epoch(), k);
        try {
            out.append("{\"origin\":").append(CanonicalJson.quote(config.origin())).append(",\"checkpoints\":[");
            TreeSet<Integer> used = new TreeSet<>();
            long after = -1;
            boolean first = true;
            while (true) {
                List<AuditStore.Checkpoint> page = store.checkpoints(after, 512);
                if (page.isEmpty()) break;
                for (AuditStore.Checkpoint c : page) {
                    after = c.treeSize();
                    if (c.treeSize() >= limit) continue;
                    if (!first) out.append(',');
                    first = false;
                    used.add(c.epoch());
                    out.append("{\"tree_size\":").append(Long.toString(c.treeSize()))
                            .append(",\"epoch\":").append(Integer.toString(c.epoch()))
                            .append(",\"created_at\":").append(CanonicalJson.quote(CanonicalJson.instant(c.createdAt())))
                            .append(",\"note\":").append(CanonicalJson.quote(c.note())).append('}');
                }
                if (after >= limit) break;
            }
            out.append("],\"keys\":[");
            first = true;
            for (int epoch : used) {
                AuditStore.SigningKey k = keys.get(epoch);
                if (k == null) continue;
                if (!first) out.append(',');
                first = false;
                VerifierKey vk = VerifierKey.of(config.origin(), Heads.decode(k.publicKey()));
                out.append("{\"epoch\":").append(Integer.toString(k.epoch()))
                        .append(",\"key_id\":").append(CanonicalJson.quote(vk.keyIdHex()))
                        .append(",\"verifier_key\":").append(CanonicalJson.quote(vk.toString()))
                        .append(",\"created_at\":").append(CanonicalJson.quote(CanonicalJson.instant(k.createdAt())))
                        .append(",\"revoked_at_index\":")
                        .append(k.revokedAtIndex().isPresent() ? Long.toString(k.revokedAtIndex().getAsLong()) : "null")
                        .append('}');
            }
            out.append("]}");
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "could not write the audit archive", e);
        }
    }

    /** {@link #writeArchiveJson} into a string. */
    public String archiveJson(OptionalLong beforeSize) {
        StringBuilder b = new StringBuilder();
        writeArchiveJson(beforeSize, b);
        return b.toString();
    }

    private void forEachEntry(long from, long to, Consumer<AuditRecord> sink) {
        long next = from;
        while (next < to) {
            List<AuditStore.Entry> batch = store.entries(next, (int) Math.min(BATCH, to - next));
            if (batch.isEmpty()) throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit entry " + next + " is missing", null);
            for (AuditStore.Entry e : batch) {
                if (e.index() != next) throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit entry " + next + " is missing", null);
                sink.accept(record(e));
                next++;
            }
        }
    }

    private static AuditRecord record(AuditStore.Entry e) { return new AuditRecord(e.index(), e.type(), e.at(), e.text()); }

    private long sizeOrLatest(OptionalLong size) {
        if (size.isPresent()) {
            requireSize(size.getAsLong());
            return size.getAsLong();
        }
        return store.latestCheckpoint().map(AuditStore.Checkpoint::treeSize).orElseThrow(() -> new InvalidInputException(
                ErrorCode.INPUT_STATE, "no signed checkpoint yet; give a size or run `vault audit checkpoint`"));
    }

    private void requireSize(long size) {
        long have = store.head().size();
        if (size < 0 || size > have) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "tree size " + size + " is not between 0 and the log size " + have);
        }
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) out.add(HEX.formatHex(h));
        return out;
    }
}
