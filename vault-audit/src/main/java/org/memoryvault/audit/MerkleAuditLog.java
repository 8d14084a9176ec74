package org.memoryvault.audit;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.memoryvault.audit.internal.CompactRange;
import org.memoryvault.audit.internal.Heads;
import org.memoryvault.audit.internal.ProofBuilder;
import org.memoryvault.audit.internal.StoredTree;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.Signer;
import org.memoryvault.domain.port.Transactions;

/**
 * The vault's audit log: appends entries to an RFC 9162 Merkle tree kept in an {@link AuditStore},
 * signs C2SP checkpoints with the current key epoch of a {@link Signer}, and rotates that key.
 * An append costs O(log N) hashes and a constant number of row writes: the store keeps the
 * compact range (right edge) of the tree, and the hashes of completed subtrees whose height is a
 * multiple of {@value #TILE_HEIGHT}, never the whole tree.
 *
 * <p>{@link #append} joins the caller's transaction (nested {@link Transactions} calls join), so an
 * event commits with the change it records. Checkpoints are signed separately, by
 * {@link #checkpointIfGrown()}: call it after a command that appended, or on an interval.
 *
 * <p>Security: entries hold what the event holds; use cases never put plaintext or secrets in
 * events. The log proves what was appended since a checkpoint was signed; entries after the latest
 * checkpoint are protected only by the store until the next checkpoint. The first key epoch is
 * trusted on first use: outside verifiers must pin {@link #verifierKey()} out of band.
 */
public final class MerkleAuditLog implements AuditLog {
    /** Type of the entry that revokes one key epoch and names the next. */
    public static final String KEY_ROTATE = "audit.key.rotate";
    /** Stored subtree hashes are those whose height is a multiple of this. */
    public static final int TILE_HEIGHT = 8;

    private static final HexFormat HEX = HexFormat.of();

    private final AuditStore store;
    private final Signer signer;
    private final Transactions tx;
    private final Clock clock;
    private final AuditConfig config;

    @Inject
    public MerkleAuditLog(AuditStore store, Signer signer, Transactions tx, Clock clock, AuditConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The checkpoint origin and key name, {@code memory-vault/<vault id>}. */
    public String origin() { return config.origin(); }

    /**
     * Appends the event as the next entry and returns its index.
     *
     * @throws InvalidInputException if a field uses a reserved name ({@code type}, {@code at}, {@code seq})
     */
    @Override
    public long append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        return appendAll(List.of(event)).get(0);
    }

    /** Appends the events as consecutive entries in one store write; O(log N) each, never a rebuild. */
    @Override
    public List<Long> appendAll(List<AuditEvent> events) {
        List<AuditEvent> batch = List.copyOf(events);
        return tx.inTransaction(() -> appendHere(batch));
    }

    private List<Long> appendHere(List<AuditEvent> events) {
        AuditStore.Head head = store.head();
        long index = head.size();
        TreeHasher hasher = new TreeHasher();
        CompactRange range = Heads.toRange(head);
        List<AuditStore.Node> completed = new ArrayList<>(2);
        List<AuditStore.Entry> entries = new ArrayList<>(events.size());
        List<Long> indexes = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            String text = CanonicalJson.entry(event, index);
            byte[] leaf = hasher.leaf(text.getBytes(StandardCharsets.UTF_8));
            range.append(leaf, hasher, (height, nodeIndex, hash) -> {
                if (height % TILE_HEIGHT == 0) completed.add(new AuditStore.Node(height, nodeIndex, HEX.formatHex(hash)));
            });
            entries.add(new AuditStore.Entry(index, text, HEX.formatHex(leaf), event.type(),
                    event.at().truncatedTo(ChronoUnit.MILLIS), stringField(event, "requester"), stringField(event, "memory_id")));
            indexes.add(index++);
        }
        store.appendAll(entries, Heads.toHead(range), completed);
        return indexes;
    }

    @Override
    public Head head() {
        return tx.inSnapshot(() -> {
            AuditStore.Head head = store.head();
            return new Head(head.size(), HEX.formatHex(Heads.toRange(head).root(new TreeHasher())));
        });
    }

    @Override
    public long countOfType(String type) {
        return store.count(type, Optional.empty(), Instant.EPOCH);
    }

    @Override
    public boolean hasPrefix(long size, String rootHex) {
        return tx.inSnapshot(() -> {
            AuditStore.Head head = store.head();
            if (size > head.size() || size < 0) return false;
            TreeHasher hasher = new TreeHasher();
            byte[] root = Heads.toRange(head).root(hasher);
            byte[] expected;
            try {
                expected = HEX.parseHex(rootHex);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (size == head.size()) return java.security.MessageDigest.isEqual(root, expected);
            if (size == 0) return java.security.MessageDigest.isEqual(hasher.emptyRoot(), expected);
            List<byte[]> proof = ProofBuilder.consistency(new StoredTree(store, TILE_HEIGHT), size, head.size());
            return MerkleProofs.verifyConsistency(size, head.size(), proof, expected, root);
        });
    }

    private static Optional<String> stringField(AuditEvent event, String name) {
        return event.fields().get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * Signs and keeps a checkpoint of the current tree if it has grown since the latest kept
     * checkpoint (or if there is none yet, even for an empty tree); returns it, or empty if
     * nothing changed. Before signing it checks, from stored hashes, that the new tree is
     * consistent with the latest checkpoint, and that the signature verifies under the epoch's
     * recorded public key.
     *
     * @throws IntegrityException (INTEGRITY_AUDIT_LOG) if the log is shorter than, or inconsistent
     *         with, its latest checkpoint; (INTEGRITY_WRONG_KEY) if the signer's key is not the recorded one
     */
    public Optional<SignedCheckpoint> checkpointIfGrown() {
        return tx.inTransaction(this::checkpointHere);
    }

    private Optional<SignedCheckpoint> checkpointHere() {
        AuditStore.Head head = store.head();
        Optional<AuditStore.Checkpoint> last = store.latestCheckpoint();
        requireNotShorter(head, last);
        if (last.isPresent() && last.get().treeSize() == head.size()) return Optional.empty();
        TreeHasher hasher = new TreeHasher();
        byte[] root = Heads.toRange(head).root(hasher);
        List<AuditStore.SigningKey> keys = keysEnsuringFirst();
        if (last.isPresent()) requireExtends(last.get(), keys, head.size(), root);
        AuditStore.SigningKey key = keys.get(keys.size() - 1);
        VerifierKey verifier = verifierOf(key);
        String body = CheckpointBody.of(config.origin(), head.size(), root).text();
        String note = SignedNote.sign(body, verifier, message -> signer.sign(key.epoch(), message));
        if (!SignedNote.parse(note).verifiedBy(verifier)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_WRONG_KEY, "the audit signing key of epoch " + key.epoch()
                    + " does not match its recorded public key " + verifier, null);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.addCheckpoint(new AuditStore.Checkpoint(head.size(), key.epoch(), note, now));
        return Optional.of(new SignedCheckpoint(head.size(), HEX.formatHex(root), key.epoch(), note, now));
    }

    /** Refuses to sign a tree that the stored hashes do not show to extend the latest signed one. */
    private void requireExtends(AuditStore.Checkpoint last, List<AuditStore.SigningKey> keys, long size, byte[] root) {
        SignedNote note = SignedNote.parse(last.note());
        CheckpointBody body = CheckpointBody.parse(note.text());
        AuditStore.SigningKey signedBy = keys.stream().filter(k -> k.epoch() == last.epoch()).findFirst()
                .orElseThrow(() -> new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG,
                        "the latest checkpoint names an unknown key epoch; run `vault audit verify`", null));
        if (!note.verifiedBy(verifierOf(signedBy)) || body.treeSize() != last.treeSize() || !body.origin().equals(config.origin())) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG,
                    "the latest checkpoint does not verify; run `vault audit verify`", null);
        }
        if (body.treeSize() == 0) return;
        List<byte[]> proof = ProofBuilder.consistency(new StoredTree(store, TILE_HEIGHT), body.treeSize(), size);
        if (!MerkleProofs.verifyConsistency(body.treeSize(), size, proof, body.root(), root)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the audit tree at size " + size
                    + " is not consistent with the checkpoint at size " + body.treeSize() + "; run `vault audit verify`", null);
        }
    }

    /**
     * Throws {@code INTEGRITY_AUDIT_LOG} if the log is shorter than its latest kept checkpoint (it was
     * cut back). Two reads in one snapshot: cheap enough for every operation of a long-running process,
     * which signs checkpoints only now and then.
     */
    public void requireNotCutBack() {
        tx.inSnapshot(() -> {
            requireNotShorter(store.head(), store.latestCheckpoint());
            return null;
        });
    }

    private static void requireNotShorter(AuditStore.Head head, Optional<AuditStore.Checkpoint> last) {
        if (last.isPresent() && last.get().treeSize() > head.size()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the audit log has " + head.size()
                    + " entries but a checkpoint was signed at size " + last.get().treeSize() + "; run `vault audit verify`", null);
        }
    }

    /** The latest kept checkpoint, read back from the store (not re-verified). */
    public Optional<SignedCheckpoint> latestCheckpoint() {
        return store.latestCheckpoint().map(c -> {
            CheckpointBody body = CheckpointBody.parse(SignedNote.parse(c.note()).text());
            return new SignedCheckpoint(c.treeSize(), body.rootHex(), c.epoch(), c.note(), c.createdAt());
        });
    }

    /**
     * The current epoch's verifier key string, {@code <origin>+<key id>+<base64(0x01||key)>},
     * creating the first key if the vault has none yet.
     */
    public String verifierKey() {
        return tx.inTransaction(() -> {
            List<AuditStore.SigningKey> keys = keysEnsuringFirst();
            return verifierOf(keys.get(keys.size() - 1)).toString();
        });
    }

    /**
     * Starts a new key epoch: signs a checkpoint with the old key if the tree grew, appends an
     * {@value #KEY_ROTATE} entry (old and new epoch and key id, new verifier key), records the
     * old key as revoked at that entry, signs a checkpoint with the new key, then destroys the old
     * private key. Old checkpoints keep verifying with the old public key; a checkpoint the old
     * key signs for a tree that includes the rotation entry is rejected by {@link AuditVerifier}.
     *
     * <p>Call outside any transaction: the old private key is destroyed only after the rotation
     * has committed, and a rolled-back outer transaction would otherwise lose the current key.
     */
    public KeyRotation rotateKey() {
        checkpointIfGrown();
        KeyRotation rotation = tx.inTransaction(() -> {
            List<AuditStore.SigningKey> keys = keysEnsuringFirst();
            AuditStore.SigningKey old = keys.get(keys.size() - 1);
            int newEpoch = old.epoch() + 1;
            byte[] publicKey = signer.ensureKey(newEpoch);
            VerifierKey next = VerifierKey.of(config.origin(), publicKey);
            Instant now = clock.instant();
            long index = appendHere(List.of(AuditEvent.of(KEY_ROTATE, now)
                    .with("old_epoch", (long) old.epoch()).with("old_key_id", old.keyId())
                    .with("new_epoch", (long) newEpoch).with("new_key_id", next.keyIdHex())
                    .with("new_key", next.toString()))).get(0);
            store.revokeKey(old.epoch(), index);
            store.addKey(new AuditStore.SigningKey(newEpoch, next.keyIdHex(), HEX.formatHex(publicKey),
                    now.truncatedTo(ChronoUnit.MILLIS), OptionalLong.empty()));
            return new KeyRotation(old.epoch(), old.keyId(), newEpoch, next.keyIdHex(), index, next.toString());
        });
        checkpointIfGrown();
        signer.destroy(rotation.oldEpoch());
        return rotation;
    }

    /**
     * How many recalls were refused at or after {@code since}, by {@code requester} if given:
     * the input of an anomaly (lockdown) rule. Counts stored entries without re-verifying them.
     */
    public long refusedRecalls(Optional<String> requester, Instant since) {
        return store.count(AuditEvent.RECALL_REFUSED, requester, since);
    }

    /** How many wrong secrets were recorded ({@code secret.refused}) at or after {@code since}, by {@code requester} if given. */
    public long refusedSecrets(Optional<String> requester, Instant since) {
        return store.count(AuditEvent.SECRET_REFUSED, requester, since);
    }

    private List<AuditStore.SigningKey> keysEnsuringFirst() {
        List<AuditStore.SigningKey> keys = store.keys();
        if (!keys.isEmpty()) return keys;
        byte[] publicKey = signer.ensureKey(1);
        VerifierKey first = VerifierKey.of(config.origin(), publicKey);
        AuditStore.SigningKey key = new AuditStore.SigningKey(1, first.keyIdHex(), HEX.formatHex(publicKey),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), OptionalLong.empty());
        store.addKey(key);
        return List.of(key);
    }

    VerifierKey verifierOf(AuditStore.SigningKey key) {
        return VerifierKey.of(config.origin(), Heads.decode(key.publicKey()));
    }
}
