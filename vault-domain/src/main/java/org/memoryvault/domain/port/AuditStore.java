package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Persistence of the audit log (docs/AUDIT.md): entries with their leaf hashes, the tree head
 * (size and compact range), stored perfect-subtree hashes, signed checkpoints and the signing key
 * epochs. Calls made inside {@link Transactions} join that transaction. Hashes cross this port as
 * 64 lower-case hex digits.
 *
 * <p>Security: the store is not trusted. Everything it returns is re-derived and checked by the
 * audit log's verifier; the store only has to return what was written, in index order.
 */
public interface AuditStore {
    /** The current head; {@link Head#EMPTY} before the first append. */
    Head head();

    /**
     * Writes one entry at index {@code head().size()}, moves the head to {@code newHead} and keeps
     * the {@code completed} subtree hashes, all or nothing.
     */
    void append(Entry entry, Head newHead, List<Node> completed);

    /**
     * Writes consecutive entries starting at {@code head().size()}, moves the head to
     * {@code newHead} and keeps the {@code completed} subtree hashes, all or nothing: the batch
     * form of {@link #append}, for stores that can write many rows more cheaply than one at a time.
     */
    void appendAll(List<Entry> entries, Head newHead, List<Node> completed);

    /** Entries with {@code index >= fromIndex}, ascending, at most {@code limit}. */
    List<Entry> entries(long fromIndex, int limit);

    /** Leaf hashes of entries {@code [fromIndex, toIndex)}, ascending. */
    List<String> leafHashes(long fromIndex, long toIndex);

    /** Stored subtree hashes at {@code level} with node index in {@code [fromIndex, toIndex)}, ascending. */
    List<Node> nodes(int level, long fromIndex, long toIndex);

    /** The last {@code limit} entries matching every present filter, ascending by index. */
    List<Entry> find(Optional<String> memoryId, Optional<String> type, int limit);

    /** How many entries of {@code type} at or after {@code since} (and by {@code requester}, if present). */
    long count(String type, Optional<String> requester, Instant since);

    void addCheckpoint(Checkpoint checkpoint);

    /** The checkpoint with the largest tree size. */
    Optional<Checkpoint> latestCheckpoint();

    /** Checkpoints with {@code treeSize > afterTreeSize}, ascending by tree size, at most {@code limit}. */
    List<Checkpoint> checkpoints(long afterTreeSize, int limit);

    /** Every signing key epoch, ascending. */
    List<SigningKey> keys();

    void addKey(SigningKey key);

    /** Marks {@code epoch} revoked by the rotation entry at {@code atIndex}. */
    void revokeKey(int epoch, long atIndex);

    /**
     * The tree head: how many entries, and the roots of the perfect subtrees on the tree's right
     * edge, largest first (one per set bit of {@code size}).
     */
    record Head(long size, List<String> compactRange) {
        public static final Head EMPTY = new Head(0, List.of());

        public Head {
            if (size < 0) throw new IllegalArgumentException("size");
            compactRange = List.copyOf(compactRange);
            if (compactRange.size() != Long.bitCount(size)) throw new IllegalArgumentException("compact range does not match size");
        }
    }

    /**
     * One log entry: the exact leaf text, its leaf hash, and copies of a few of its fields as
     * query columns (they must agree with the text; the verifier checks).
     */
    record Entry(long index, String text, String leafHash, String type, Instant at,
                 Optional<String> requester, Optional<String> memoryId) {
        public Entry {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(leafHash, "leafHash");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(requester, "requester");
            Objects.requireNonNull(memoryId, "memoryId");
            if (index < 0) throw new IllegalArgumentException("index");
        }
    }

    /** The hash of the perfect subtree of height {@code level} covering leaves {@code [index·2^level, (index+1)·2^level)}. */
    record Node(int level, long index, String hash) {
        public Node { Objects.requireNonNull(hash, "hash"); }
    }

    /** A signed checkpoint as stored: the exact note text, and which key epoch signed it. */
    record Checkpoint(long treeSize, int epoch, String note, Instant createdAt) {
        public Checkpoint {
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /**
     * One signing key epoch: its Ed25519 public key (hex), its note key id (8 hex digits), and the
     * index of the rotation entry that revoked it, if any.
     */
    record SigningKey(int epoch, String keyId, String publicKey, Instant createdAt, OptionalLong revokedAtIndex) {
        public SigningKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(revokedAtIndex, "revokedAtIndex");
        }
    }
}
