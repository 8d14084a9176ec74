package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.audit.Verification.Kind;
import org.memoryvault.audit.internal.CompactRange;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.storage.sqlite.AuditSqliteFixture;
import org.memoryvault.storage.sqlite.SqliteDatabase;
import org.memoryvault.storage.sqlite.SqliteDatabases;

/**
 * Tampering with a real vault.db, table by table, is caught by {@link AuditVerifier}. Each attack
 * is tried naively (one row edited) and, where it matters, by an attacker who also re-derives every
 * derived column (leaf hashes, stored subtree hashes, head) but cannot sign: then the signed
 * checkpoints catch it.
 */
class AuditTamperTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    @TempDir Path dir;
    private SqliteDatabase db;
    private AuditStore store;
    private Transactions tx;
    private final JdkEd25519Signer signer = new JdkEd25519Signer(new SecureRandom());
    private final AuditConfig config = AuditConfig.forVault("tamper-test");
    private MerkleAuditLog log;
    private AuditVerifier verifier;

    @BeforeEach
    void buildLog() {
        db = SqliteDatabases.open(dir);
        store = AuditSqliteFixture.auditStore(db);
        tx = AuditSqliteFixture.transactions(db);
        log = new MerkleAuditLog(store, signer, tx, Clock.fixed(T0, ZoneOffset.UTC), config);
        verifier = new AuditVerifier(store, config);
        appendEvents(0, 600, 100, 300, 600);
    }

    @AfterEach
    void close() { db.close(); }

    /** Appends events [from, to) in transactions of 50, signing a checkpoint when the size reaches one of {@code checkpointsAt}. */
    private void appendEvents(int from, int to, int... checkpointsAt) {
        for (int start = from; start < to; start += 50) {
            int s = start;
            tx.run(() -> {
                for (int i = s; i < Math.min(s + 50, to); i++) {
                    String type = i % 2 == 0 ? AuditEvent.RECALL_REFUSED : AuditEvent.STORE;
                    log.append(AuditEvent.of(type, T0.plusSeconds(i)).with("memory_id", "m-" + (i % 7))
                            .with("requester", i % 3 == 0 ? "mallory" : "agent").with("classification", i % 6));
                }
            });
            for (int c : checkpointsAt) {
                if (c > start && c <= Math.min(start + 50, to)) log.checkpointIfGrown();
            }
        }
    }

    private Verification.Problem problem() {
        Verification v = verifier.verify();
        assertThat(v.ok()).as("verify should fail").isFalse();
        return v.firstProblem().orElseThrow();
    }

    private void assertBroken(Kind kind, long position, String detailFragment) {
        Verification.Problem p = problem();
        assertThat(p.kind()).as(p.describe()).isEqualTo(kind);
        assertThat(p.position()).as(p.describe()).isEqualTo(position);
        assertThat(p.detail()).as(p.describe()).contains(detailFragment);
        assertThatThrownBy(verifier::verifyOrThrow).isInstanceOf(IntegrityException.class)
                .extracting(e -> ((IntegrityException) e).code()).isEqualTo(ErrorCode.INTEGRITY_AUDIT_LOG);
    }

    private void sql(String statement, Object... args) {
        db.jdbi().useHandle(h -> h.execute(statement, args));
    }

    private String text(long idx) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT entry FROM audit_entries WHERE idx = :i").bind("i", idx)
                .mapTo(String.class).one());
    }

    private static String withSeq(String entry, long seq) { return entry.replaceFirst("\"seq\":[0-9]+", "\"seq\":" + seq); }

    /** What an attacker without the signing key can do after editing entries: recompute every derived column. */
    private void rederive() {
        TreeHasher h = new TreeHasher();
        CompactRange range = CompactRange.empty();
        List<Object[]> nodes = new ArrayList<>();
        List<Map<String, Object>> rows = db.jdbi().withHandle(hd -> hd.createQuery("SELECT idx, entry FROM audit_entries ORDER BY idx")
                .mapToMap().list());
        sql("DELETE FROM audit_nodes");
        for (Map<String, Object> row : rows) {
            byte[] leaf = h.leaf(((String) row.get("entry")).getBytes(StandardCharsets.UTF_8));
            sql("UPDATE audit_entries SET leaf_hash = ? WHERE idx = ?", leaf, ((Number) row.get("idx")).longValue());
            range.append(leaf, h, (height, i, hash) -> {
                if (height % MerkleAuditLog.TILE_HEIGHT == 0) nodes.add(new Object[] {height, i, hash});
            });
        }
        for (Object[] n : nodes) sql("INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)", n[0], n[1], n[2]);
        byte[] edge = new byte[32 * range.hashes().size()];
        for (int i = 0; i < range.hashes().size(); i++) System.arraycopy(range.hashes().get(i), 0, edge, 32 * i, 32);
        sql("UPDATE audit_head SET size = ?, compact_range = ? WHERE id = 1", range.size(), edge);
    }

    @Test
    void untouchedLog_verifies() {
        Verification v = verifier.verify();
        assertThat(v.firstProblem()).isEmpty();
        assertThat(v.entriesChecked()).isEqualTo(600);
        assertThat(v.checkpointsChecked()).isEqualTo(3);
    }

    @Test
    void editedEntry_isNamed_byItsLeafHash() {
        sql("UPDATE audit_entries SET entry = ? WHERE idx = 150", text(150).replace("\"classification\":0", "\"classification\":5"));
        assertBroken(Kind.ENTRY, 150, "stored leaf hash");
    }

    @Test
    void editedEntry_withRederivedHashes_isCaughtByTheCheckpoint() {
        sql("UPDATE audit_entries SET entry = ? WHERE idx = 150", text(150).replace("\"classification\":0", "\"classification\":5"));
        rederive();
        assertBroken(Kind.CHECKPOINT, 300, "root does not match");
    }

    @Test
    void anAttackerWithTheSigningKey_rewritesAndReSigns_butNotBelowAnOwnerCosignedTree() {
        String cosigned300 = db.jdbi().withHandle(h -> h.createQuery("SELECT note FROM audit_checkpoints WHERE tree_size = 300")
                .mapTo(String.class).map(n -> CheckpointBody.parse(SignedNote.parse(n).text()).rootHex()).one());
        assertThat(verifier.verify(Map.of(300L, cosigned300)).firstProblem()).isEmpty();

        sql("UPDATE audit_entries SET entry = ? WHERE idx = 150", text(150).replace("\"classification\":0", "\"classification\":5"));
        rederive();
        sql("DELETE FROM audit_checkpoints");
        log.checkpointIfGrown();                                   // the audit key is a file in the vault: it signs anew
        assertThat(verifier.verify().firstProblem()).as("re-signed, the log alone verifies").isEmpty();

        Verification.Problem p = verifier.verify(Map.of(300L, cosigned300)).firstProblem().orElseThrow();
        assertThat(p.kind()).isEqualTo(Kind.COSIGNED);
        assertThat(p.position()).isEqualTo(300);
        assertThat(verifier.verify(Map.of(900L, cosigned300)).firstProblem().orElseThrow().detail()).contains("cut back");
    }

    @Test
    void editedEntry_withOnlyItsLeafHashFixed_isCaughtByTheStoredSubtreeHash() {
        String edited = text(150).replace("\"classification\":0", "\"classification\":5");
        sql("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE idx = 150", edited,
                new TreeHasher().leaf(edited.getBytes(StandardCharsets.UTF_8)));
        assertBroken(Kind.STORED_TREE, 8, "entries 0..255");
    }

    @Test
    void editedQueryColumn_toHideARefusal_isCaught() {
        sql("UPDATE audit_entries SET requester = 'agent' WHERE idx = 0");
        assertBroken(Kind.ENTRY, 0, "query columns");
        assertThat(log.refusedRecalls(Optional.of("mallory"), T0)).isEqualTo(99); // what the lockdown rule would have seen
    }

    @Test
    void deletedEntry_isNamed() {
        sql("DELETE FROM audit_entries WHERE idx = 200");
        assertBroken(Kind.ENTRY, 200, "missing");
    }

    @Test
    void deletedEntry_withLaterEntriesRenumbered_isCaughtByTheCheckpoint() {
        sql("DELETE FROM audit_entries WHERE idx = 200");
        for (long i = 201; i < 600; i++) sql("UPDATE audit_entries SET idx = ?, entry = ? WHERE idx = ?", i - 1, withSeq(text(i), i - 1), i);
        rederive();
        assertBroken(Kind.CHECKPOINT, 300, "root does not match");
    }

    @Test
    void insertedEntry_isNamed_byTheNextEntrysSeq() {
        for (long i = 599; i >= 200; i--) sql("UPDATE audit_entries SET idx = ? WHERE idx = ?", i + 1, i);
        String forged = "{\"at\":\"2025-06-01T10:03:20.000Z\",\"requester\":\"owner\",\"seq\":200,\"type\":\"lockdown.exit\"}";
        sql("INSERT INTO audit_entries (idx, entry, leaf_hash, type, at, requester) VALUES (200, ?, ?, 'lockdown.exit', ?, 'owner')",
                forged, new TreeHasher().leaf(forged.getBytes(StandardCharsets.UTF_8)), T0.plusSeconds(200).toEpochMilli());
        assertBroken(Kind.ENTRY, 201, "says seq 200");
    }

    @Test
    void insertedEntry_withSeqsAndHashesRederived_isCaughtByTheCheckpoint() {
        for (long i = 599; i >= 200; i--) sql("UPDATE audit_entries SET idx = ?, entry = ? WHERE idx = ?", i + 1, withSeq(text(i), i + 1), i);
        String forged = "{\"at\":\"2025-06-01T10:03:20.000Z\",\"requester\":\"owner\",\"seq\":200,\"type\":\"lockdown.exit\"}";
        sql("INSERT INTO audit_entries (idx, entry, leaf_hash, type, at, requester) VALUES (200, ?, zeroblob(32), 'lockdown.exit', ?, 'owner')",
                forged, T0.plusSeconds(200).toEpochMilli());
        rederive();
        assertBroken(Kind.CHECKPOINT, 300, "root does not match");
    }

    @Test
    void reorderedEntries_areNamed() {
        String a = text(10);
        String b = text(11);
        sql("UPDATE audit_entries SET entry = ? WHERE idx = 10", b);
        sql("UPDATE audit_entries SET entry = ? WHERE idx = 11", a);
        assertBroken(Kind.ENTRY, 10, "says seq 11");
    }

    @Test
    void reorderedEntries_withSeqsAndHashesRederived_areCaughtByTheCheckpoint() {
        String a = text(10);
        String b = text(11);
        // move every column of the two rows, so only the order differs from the original log
        sql("UPDATE audit_entries SET idx = 1000000 WHERE idx = 10");
        sql("UPDATE audit_entries SET idx = 10, entry = ? WHERE idx = 11", withSeq(b, 10));
        sql("UPDATE audit_entries SET idx = 11, entry = ? WHERE idx = 1000000", withSeq(a, 11));
        rederive();
        assertBroken(Kind.CHECKPOINT, 100, "root does not match");
    }

    @Test
    void truncatedLog_isNamed_evenWithTheHeadRederived() {
        sql("DELETE FROM audit_entries WHERE idx >= 450");
        assertBroken(Kind.ENTRY, 450, "missing");
        sql("DELETE FROM audit_nodes WHERE (idx + 1) << level > 450");
        rederive();
        assertBroken(Kind.ENTRY, 450, "truncated");
    }

    @Test
    void appendedEntryBeyondTheHead_isNamed() {
        String forged = "{\"at\":\"2025-06-01T11:00:00.000Z\",\"seq\":600,\"type\":\"lockdown.exit\"}";
        sql("INSERT INTO audit_entries (idx, entry, leaf_hash, type, at) VALUES (600, ?, ?, 'lockdown.exit', 0)",
                forged, new TreeHasher().leaf(forged.getBytes(StandardCharsets.UTF_8)));
        assertBroken(Kind.ENTRY, 600, "beyond the log head");
    }

    @Test
    void replacedCheckpointText_failsItsSignature() {
        String note = store.checkpoints(99, 1).get(0).note();
        String otherRoot = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String forged = note.replaceFirst("\n100\n[^\n]+\n", "\n100\n" + otherRoot + "\n");
        assertThat(forged).isNotEqualTo(note);
        sql("UPDATE audit_checkpoints SET note = ? WHERE tree_size = 100", forged);
        assertBroken(Kind.CHECKPOINT, 100, "signature does not verify");
    }

    @Test
    void replacedCheckpointSignature_fails() {
        String note = store.checkpoints(299, 1).get(0).note();
        int sig = note.lastIndexOf(' ') + 10;
        String forged = note.substring(0, sig) + (note.charAt(sig) == 'A' ? 'B' : 'A') + note.substring(sig + 1);
        sql("UPDATE audit_checkpoints SET note = ? WHERE tree_size = 300", forged);
        assertBroken(Kind.CHECKPOINT, 300, "signature does not verify");
    }

    @Test
    void checkpointReplacedByOneSignedWithAnotherKey_fails() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        VerifierKey attacker = VerifierKey.of(config.origin(), JdkEd25519Signer.publicKeyOf(seed));
        String body = SignedNote.parse(store.checkpoints(299, 1).get(0).note()).text();
        sql("UPDATE audit_checkpoints SET note = ? WHERE tree_size = 300", SignedNote.sign(body, attacker, m -> JdkEd25519Signer.sign(seed, m)));
        assertBroken(Kind.CHECKPOINT, 300, "signature does not verify");
    }

    @Test
    void replacedPublicKey_isCaught() {
        sql("UPDATE audit_keys SET public_key = ? WHERE epoch = 1", JdkEd25519Signer.publicKeyOf(new byte[32]));
        assertBroken(Kind.KEY, 1, "key id does not match");
        VerifierKey attacker = VerifierKey.of(config.origin(), JdkEd25519Signer.publicKeyOf(new byte[32]));
        sql("UPDATE audit_keys SET key_id = ? WHERE epoch = 1", attacker.keyIdHex());
        assertBroken(Kind.CHECKPOINT, 100, "signature does not verify");
    }

    @Test
    void checkpointSignedWithARevokedKey_afterItsRevocation_fails() {
        byte[] oldSeed = signer.seed(1);
        KeyRotation r = log.rotateKey();
        assertThat(r.revokedAtIndex()).isEqualTo(600);
        appendEvents(601, 611, 611);
        assertThat(verifier.verify().firstProblem()).isEmpty();

        appendEvents(611, 615);
        VerifierKey old = VerifierKey.of(config.origin(), JdkEd25519Signer.publicKeyOf(oldSeed));
        String body = CheckpointBody.of(config.origin(), 615, HEX.parseHex(new AuditQueries(store, config).rootAt(615))).text();
        sql("INSERT INTO audit_checkpoints (tree_size, epoch, note, created_at) VALUES (615, 1, ?, 0)",
                SignedNote.sign(body, old, m -> JdkEd25519Signer.sign(oldSeed, m)));
        assertBroken(Kind.CHECKPOINT, 615, "epoch 1, which was revoked at entry 600");
    }

    @Test
    void movingTheRevocationLater_toLegitimiseTheOldKey_isCaught() {
        log.rotateKey();
        appendEvents(601, 611, 611);
        sql("UPDATE audit_keys SET revoked_at_index = 10000 WHERE epoch = 1");
        assertBroken(Kind.KEY, 1, "revoked by entry 600");
    }
}
