package org.memoryvault.audit;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.memoryvault.audit.Verification.Kind;
import org.memoryvault.audit.Verification.Problem;
import org.memoryvault.audit.internal.CompactRange;
import org.memoryvault.audit.internal.FlatJson;
import org.memoryvault.audit.internal.Heads;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.StoredTree;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.port.AuditStore;

/**
 * Recomputes the whole audit log from its stored entries and checks everything against it
 * (docs/AUDIT.md §Verify): each entry's canonical form, position ({@code seq}), leaf hash and query
 * columns; each stored subtree hash; each kept checkpoint's origin, size, root and signature under
 * the key of the epoch its size falls in (a key revoked at entry r may only sign trees of at most r
 * entries); consistency between consecutive checkpoints; the key epoch table against the rotation
 * entries; and the stored head. Entries are streamed in batches, so memory stays flat in the log
 * size. Verification stops at the first problem, in log order.
 *
 * <p>Security: this is the check of record. It trusts nothing the store derived; it does trust the
 * key epoch table for which public key each epoch has, whose first epoch an outside verifier must
 * pin. Entries after the latest checkpoint are checked for form and position only: nothing signed
 * covers them yet.
 */
public final class AuditVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private static final int BATCH = 4096;
    private static final int NODE_WINDOW = 1024;

    private final AuditStore store;
    private final AuditConfig config;

    @Inject
    public AuditVerifier(AuditStore store, AuditConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Verifies everything; never throws for a damaged log, it reports the first problem instead. */
    public Verification verify() {
        return verify(Map.of());
    }

    /**
     * Verifies everything, and that the tree of each size in {@code cosigned} has the given root
     * (hex): the trees the owner cosigned (FORMAT.md §12) are prefixes of the current log.
     */
    public Verification verify(Map<Long, String> cosigned) {
        return new Run(new TreeMap<>(cosigned)).execute();
    }

    /**
     * Verifies everything and throws on the first problem.
     *
     * @throws IntegrityException (INTEGRITY_AUDIT_LOG) naming the first broken entry, checkpoint, key or stored hash
     */
    public Verification verifyOrThrow() {
        Verification v = verify();
        v.firstProblem().ifPresent(p -> {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit log verification failed at " + p.describe(), null);
        });
        return v;
    }

    private final class Run {
        private final TreeMap<Long, String> cosigned;

        Run(TreeMap<Long, String> cosigned) { this.cosigned = cosigned; }

        private final TreeHasher hasher = new TreeHasher();
        private final CompactRange range = CompactRange.empty();
        private final List<AuditStore.Node> completed = new ArrayList<>(4);
        private final Map<Integer, Map<Long, String>> nodeWindows = new HashMap<>();
        private final ArrayDeque<AuditStore.Checkpoint> pending = new ArrayDeque<>();
        private final Set<Long> rotationsSeen = new HashSet<>();
        private List<AuditStore.SigningKey> keys = List.of();
        private List<VerifierKey> verifiers = List.of();
        private long checkpointCursor = -1;
        private boolean checkpointsExhausted;
        private long checkpointsChecked;
        private long entriesChecked;
        private long previousSize = -1;
        private byte[] previousRoot = new byte[0];

        Verification execute() {
            Optional<Problem> problem = run();
            return new Verification(entriesChecked, checkpointsChecked, problem);
        }

        private Optional<Problem> run() {
            AuditStore.Head head = store.head();
            Optional<Problem> p = loadKeys();
            if (p.isPresent()) return p;
            p = checkpointsAt(0);
            if (p.isPresent()) return p;
            long next = 0;
            while (next < head.size()) {
                List<AuditStore.Entry> batch = store.entries(next, (int) Math.min(BATCH, head.size() - next));
                if (batch.isEmpty()) {
                    return problem(Kind.ENTRY, next, "missing: the log head says there are " + head.size() + " entries");
                }
                for (AuditStore.Entry e : batch) {
                    if (e.index() != next) return problem(Kind.ENTRY, next, "missing: the next stored entry is " + e.index());
                    p = entry(e);
                    if (p.isPresent()) return p;
                    next++;
                    entriesChecked++;
                    p = checkpointsAt(next);
                    if (p.isPresent()) return p;
                }
            }
            return finish(head);
        }

        private Optional<Problem> entry(AuditStore.Entry e) {
            long i = e.index();
            Optional<TreeMap<String, Object>> parsed = FlatJson.parse(e.text());
            if (parsed.isEmpty()) return problem(Kind.ENTRY, i, "is not a flat JSON object of strings, integers and booleans");
            TreeMap<String, Object> m = parsed.get();
            if (!CanonicalJson.object(m).equals(e.text())) return problem(Kind.ENTRY, i, "is not in canonical form");
            if (!(m.get("seq") instanceof Long seq) || seq != i) {
                return problem(Kind.ENTRY, i, "says seq " + m.get("seq") + ": entries were inserted, deleted or reordered");
            }
            if (!(m.get("type") instanceof String type) || type.isEmpty()) return problem(Kind.ENTRY, i, "has no type");
            if (!(m.get("at") instanceof String at)) return problem(Kind.ENTRY, i, "has no time");
            Instant when;
            try {
                when = Instant.parse(at);
                if (!CanonicalJson.instant(when).equals(at)) return problem(Kind.ENTRY, i, "has a time not in RFC 3339 UTC millisecond form");
            } catch (DateTimeParseException | InvalidInputException ex) {
                return problem(Kind.ENTRY, i, "has a time not in RFC 3339 UTC millisecond form");
            }
            if (!type.equals(e.type()) || !when.equals(e.at()) || !stringMember(m, "requester").equals(e.requester())
                    || !stringMember(m, "memory_id").equals(e.memoryId())) {
                return problem(Kind.ENTRY, i, "its query columns (type, time, requester, memory) disagree with its text");
            }
            byte[] leaf = hasher.leaf(e.text().getBytes(StandardCharsets.UTF_8));
            if (!HEX.formatHex(leaf).equals(e.leafHash())) {
                return problem(Kind.ENTRY, i, "its text does not match its stored leaf hash: the entry was altered");
            }
            if (MerkleAuditLog.KEY_ROTATE.equals(type)) {
                Optional<Problem> p = rotation(i, m);
                if (p.isPresent()) return p;
            }
            completed.clear();
            range.append(leaf, hasher, (height, index, hash) -> {
                if (height % MerkleAuditLog.TILE_HEIGHT == 0) completed.add(new AuditStore.Node(height, index, HEX.formatHex(hash)));
            });
            for (AuditStore.Node n : completed) {
                Optional<Problem> p = storedNode(n);
                if (p.isPresent()) return p;
            }
            return Optional.empty();
        }

        private Optional<Problem> storedNode(AuditStore.Node computed) {
            Map<Long, String> window = nodeWindows.get(computed.level());
            if (window == null || !window.containsKey(computed.index())) {
                window = new HashMap<>();
                for (AuditStore.Node n : store.nodes(computed.level(), computed.index(), computed.index() + NODE_WINDOW)) {
                    window.put(n.index(), n.hash());
                }
                nodeWindows.put(computed.level(), window);
            }
            String stored = window.get(computed.index());
            long first = computed.index() << computed.level();
            long last = ((computed.index() + 1) << computed.level()) - 1;
            if (stored == null) {
                return problem(Kind.STORED_TREE, computed.level(), "the hash of entries " + first + ".." + last + " is not stored");
            }
            if (!stored.equals(computed.hash())) {
                return problem(Kind.STORED_TREE, computed.level(), "the stored hash of entries " + first + ".." + last
                        + " does not match them: an entry in that range or the stored hash was altered");
            }
            return Optional.empty();
        }

        private Optional<Problem> rotation(long i, TreeMap<String, Object> m) {
            if (!(m.get("old_epoch") instanceof Long oldEpoch) || !(m.get("new_epoch") instanceof Long newEpoch)
                    || !(m.get("old_key_id") instanceof String oldId) || !(m.get("new_key_id") instanceof String newId)
                    || !(m.get("new_key") instanceof String newKey)) {
                return problem(Kind.ENTRY, i, "is a key rotation without old/new epoch, key ids and new key");
            }
            long nth = rotationsSeen.size() + 1;
            if (oldEpoch != nth || newEpoch != nth + 1 || newEpoch > keys.size()) {
                return problem(Kind.KEY, nth, "rotation entry " + i + " names epochs " + oldEpoch + " to " + newEpoch
                        + " but the key table does not follow");
            }
            AuditStore.SigningKey old = keys.get((int) nth - 1);
            AuditStore.SigningKey next = keys.get((int) nth);
            if (old.revokedAtIndex().isEmpty() || old.revokedAtIndex().getAsLong() != i) {
                return problem(Kind.KEY, nth, "is revoked by entry " + i + " but the key table says otherwise");
            }
            if (!old.keyId().equals(oldId) || !next.keyId().equals(newId) || !verifiers.get((int) nth).toString().equals(newKey)) {
                return problem(Kind.KEY, nth + 1, "the key table does not hold the key named by rotation entry " + i);
            }
            rotationsSeen.add(i);
            return Optional.empty();
        }

        private Optional<Problem> loadKeys() {
            keys = store.keys();
            List<VerifierKey> vs = new ArrayList<>(keys.size());
            long previousRevocation = -1;
            for (int k = 0; k < keys.size(); k++) {
                AuditStore.SigningKey key = keys.get(k);
                if (key.epoch() != k + 1) return problem(Kind.KEY, k + 1, "is missing from the key table");
                VerifierKey v;
                try {
                    v = VerifierKey.of(config.origin(), Heads.decode(key.publicKey()));
                } catch (IntegrityException | InvalidInputException e) {
                    return problem(Kind.KEY, key.epoch(), "has a malformed public key");
                }
                if (!v.keyIdHex().equals(key.keyId())) return problem(Kind.KEY, key.epoch(), "its key id does not match its public key");
                boolean last = k == keys.size() - 1;
                if (last && key.revokedAtIndex().isPresent()) return problem(Kind.KEY, key.epoch(), "the newest key is marked revoked");
                if (!last) {
                    if (key.revokedAtIndex().isEmpty()) return problem(Kind.KEY, key.epoch(), "an older key is not marked revoked");
                    long r = key.revokedAtIndex().getAsLong();
                    if (r <= previousRevocation) return problem(Kind.KEY, key.epoch(), "revocations are out of order");
                    previousRevocation = r;
                }
                vs.add(v);
            }
            verifiers = vs;
            return Optional.empty();
        }

        /** Checks every kept checkpoint of this size; the tree now holds exactly {@code size} entries. */
        private Optional<Problem> checkpointsAt(long size) {
            String cosignedRoot = cosigned.remove(size);
            if (cosignedRoot != null && !HEX.formatHex(range.root(hasher)).equals(cosignedRoot)) {
                return problem(Kind.COSIGNED, size, "the tree of the first " + size + " entries is not the one the owner "
                        + "cosigned: entries below the owner's seal were rewritten");
            }
            while (true) {
                AuditStore.Checkpoint c = peekCheckpoint();
                if (c == null || c.treeSize() > size) return Optional.empty();
                pending.removeFirst();
                if (c.treeSize() < size) return problem(Kind.CHECKPOINT, c.treeSize(), "is out of order in the store");
                Optional<Problem> p = checkpoint(c);
                if (p.isPresent()) return p;
                checkpointsChecked++;
            }
        }

        private Optional<Problem> checkpoint(AuditStore.Checkpoint c) {
            long size = c.treeSize();
            SignedNote note;
            CheckpointBody body;
            try {
                note = SignedNote.parse(c.note());
                body = CheckpointBody.parse(note.text());
            } catch (IntegrityException e) {
                return problem(Kind.CHECKPOINT, size, "is not a well-formed signed checkpoint");
            }
            if (!body.origin().equals(config.origin())) return problem(Kind.CHECKPOINT, size, "has origin " + body.origin());
            if (body.treeSize() != size) return problem(Kind.CHECKPOINT, size, "its note says tree size " + body.treeSize());
            if (keys.isEmpty()) return problem(Kind.CHECKPOINT, size, "there is no signing key to check it with");
            int epoch = epochFor(size);
            if (!note.verifiedBy(verifiers.get(epoch - 1))) {
                for (int other = 1; other <= verifiers.size(); other++) {
                    if (other == epoch || !note.verifiedBy(verifiers.get(other - 1))) continue;
                    if (other < epoch) {
                        return problem(Kind.CHECKPOINT, size, "signed with the key of epoch " + other + ", which was revoked at entry "
                                + keys.get(other - 1).revokedAtIndex().getAsLong() + ", before this checkpoint");
                    }
                    return problem(Kind.CHECKPOINT, size, "signed with the key of epoch " + other + ", which did not exist at this size");
                }
                return problem(Kind.CHECKPOINT, size, "its signature does not verify with the key of epoch " + epoch + " ("
                        + verifiers.get(epoch - 1) + ")");
            }
            if (c.epoch() != epoch) return problem(Kind.CHECKPOINT, size, "is recorded as epoch " + c.epoch() + " but was signed in epoch " + epoch);
            byte[] root = range.root(hasher);
            if (!MessageDigest.isEqual(root, body.root())) {
                return problem(Kind.CHECKPOINT, size, "its root does not match entries 0.." + (size - 1) + ": the log was altered");
            }
            if (previousSize > 0) {
                try {
                    List<byte[]> proof = ProofBuilder.consistency(new StoredTree(store, MerkleAuditLog.TILE_HEIGHT), previousSize, size);
                    if (!MerkleProofs.verifyConsistency(previousSize, size, proof, previousRoot, root)) {
                        return problem(Kind.STORED_TREE, 0, "the consistency proof from tree size " + previousSize + " to " + size
                                + " built from stored hashes does not verify");
                    }
                } catch (IntegrityException e) {
                    return problem(Kind.STORED_TREE, 0, e.getMessage());
                }
            }
            previousSize = size;
            previousRoot = root;
            return Optional.empty();
        }

        /** The epoch whose key may sign a tree of this size: epoch e covers sizes (r(e-1), r(e)], r = revocation entry index. */
        private int epochFor(long size) {
            for (int e = 1; e < keys.size(); e++) {
                if (size <= keys.get(e - 1).revokedAtIndex().getAsLong()) return e;
            }
            return keys.size();
        }

        private AuditStore.Checkpoint peekCheckpoint() {
            if (pending.isEmpty() && !checkpointsExhausted) {
                List<AuditStore.Checkpoint> page = store.checkpoints(checkpointCursor, 256);
                if (page.isEmpty()) {
                    checkpointsExhausted = true;
                } else {
                    pending.addAll(page);
                    checkpointCursor = page.get(page.size() - 1).treeSize();
                }
            }
            return pending.peekFirst();
        }

        private Optional<Problem> finish(AuditStore.Head head) {
            if (!cosigned.isEmpty()) {
                long size = cosigned.firstKey();
                return problem(Kind.COSIGNED, size, "the owner cosigned a tree of " + size + " entries but the log has only "
                        + head.size() + ": the log was cut back");
            }
            AuditStore.Checkpoint beyond = peekCheckpoint();
            List<AuditStore.Entry> extra = store.entries(head.size(), 1);
            if (beyond != null || !extra.isEmpty()) {
                long now = store.head().size();
                if (now == head.size()) {
                    if (beyond != null) {
                        return problem(Kind.ENTRY, head.size(), "missing: the checkpoint at size " + beyond.treeSize()
                                + " commits to more entries than the log has (" + head.size() + "): the log was truncated");
                    }
                    return problem(Kind.ENTRY, extra.get(0).index(), "is stored beyond the log head (" + head.size() + " entries)");
                }
                // The log grew while we read it: what we checked is a consistent prefix.
            }
            AuditStore.Head recomputed = Heads.toHead(range);
            if (!recomputed.equals(head)) {
                return problem(Kind.STORED_TREE, 0, "the stored head (size and right edge) does not match the entries");
            }
            for (AuditStore.SigningKey k : keys) {
                if (k.revokedAtIndex().isEmpty() || rotationsSeen.contains(k.revokedAtIndex().getAsLong())) continue;
                long r = k.revokedAtIndex().getAsLong();
                if (r < head.size() || store.head().size() <= r) {
                    return problem(Kind.KEY, k.epoch(), "is marked revoked at entry " + k.revokedAtIndex().getAsLong()
                            + ", which is not its rotation entry");
                }
            }
            return Optional.empty();
        }

        private Optional<Problem> problem(Kind kind, long position, String detail) {
            return Optional.of(new Problem(kind, position, detail));
        }
    }

    private static Optional<String> stringMember(TreeMap<String, Object> m, String name) {
        return m.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
