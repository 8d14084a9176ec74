package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.memoryvault.audit.internal.CompactRange;
import org.memoryvault.audit.internal.Heads;
import org.memoryvault.audit.internal.TreeHasher;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.AuditStore;

class MerkleAuditLogTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private final JdkEd25519Signer signer = new JdkEd25519Signer(new SecureRandom());
    private final AuditConfig config = AuditConfig.forVault("0b9e7c2a-test");
    private final MerkleAuditLog log = new MerkleAuditLog(store, signer, new DirectTransactions(), Clock.fixed(T0, ZoneOffset.UTC), config);
    private final AuditQueries queries = new AuditQueries(store, config);
    private final AuditVerifier verifier = new AuditVerifier(store, config);

    private long appendRecall(int i, String type, String requester) {
        return log.append(AuditEvent.of(type, T0.plusSeconds(i)).with("memory_id", "m-" + (i % 3)).with("requester", requester)
                .with("classification", i % 6));
    }

    private List<byte[]> entryBytes() {
        List<byte[]> out = new ArrayList<>();
        for (AuditStore.Entry e : store.entries.values()) out.add(e.text().getBytes(StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void append_returnsConsecutiveIndexes_andStoresCanonicalEntryWithSeq() {
        assertThat(appendRecall(0, AuditEvent.RECALL_GRANTED, "agent-a")).isZero();
        assertThat(appendRecall(1, AuditEvent.RECALL_REFUSED, "agent-b")).isEqualTo(1);
        assertThat(store.entries.get(1L).text()).isEqualTo("{\"at\":\"2025-06-01T10:00:01.000Z\",\"classification\":1,"
                + "\"memory_id\":\"m-1\",\"requester\":\"agent-b\",\"seq\":1,\"type\":\"memory.recall.refused\"}");
        assertThat(store.head().size()).isEqualTo(2);
    }

    @Test
    void checkpoint_commitsToTheRfc9162RootOfTheEntries_andIsSignedByTheVerifierKey() {
        for (int i = 0; i < 300; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        SignedCheckpoint cp = log.checkpointIfGrown().orElseThrow();
        assertThat(cp.treeSize()).isEqualTo(300);
        assertThat(cp.rootHex()).isEqualTo(HEX.formatHex(Rfc9162Reference.mth(entryBytes())));
        assertThat(cp.note()).startsWith("memory-vault/0b9e7c2a-test\n300\n").contains("\n\n\u2014 memory-vault/0b9e7c2a-test ");
        VerifierKey key = VerifierKey.parse(log.verifierKey());
        assertThat(key.name()).isEqualTo(config.origin());
        assertThat(SignedNote.parse(cp.note()).verifiedBy(key)).isTrue();
        assertThat(log.checkpointIfGrown()).isEmpty();
        assertThat(log.latestCheckpoint().orElseThrow().note()).isEqualTo(cp.note());
        assertThat(store.nodes.values()).extracting(AuditStore.Node::level).containsOnly(8);
    }

    @Test
    void emptyLog_getsASizeZeroCheckpoint_onlyOnce() {
        SignedCheckpoint cp = log.checkpointIfGrown().orElseThrow();
        assertThat(cp.treeSize()).isZero();
        assertThat(cp.rootHex()).isEqualTo(HEX.formatHex(MerkleHashes.emptyRoot()));
        assertThat(log.checkpointIfGrown()).isEmpty();
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void proofs_verifyAgainstTheSignedRoot_forOldAndNewSizes() {
        for (int i = 0; i < 700; i++) {
            appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
            if (i == 99 || i == 511) log.checkpointIfGrown();
        }
        SignedCheckpoint latest = log.checkpointIfGrown().orElseThrow();
        byte[] root = HEX.parseHex(latest.rootHex());
        for (long index : new long[] {0, 1, 255, 256, 511, 512, 698, 699}) {
            InclusionProof p = queries.inclusionProof(index, OptionalLong.empty());
            assertThat(p.treeSize()).isEqualTo(700);
            byte[] leaf = MerkleHashes.leafHash(store.entries.get(index).text().getBytes(StandardCharsets.UTF_8));
            assertThat(p.leafHash()).isEqualTo(HEX.formatHex(leaf));
            assertThat(MerkleProofs.verifyInclusion(leaf, index, 700, hashes(p.inclusionPath()), root)).as("index %d", index).isTrue();
        }
        InclusionProof old = queries.inclusionProof(42, OptionalLong.of(100));
        byte[] root100 = Rfc9162Reference.mth(entryBytes().subList(0, 100));
        assertThat(MerkleProofs.verifyInclusion(HEX.parseHex(old.leafHash()), 42, 100, hashes(old.inclusionPath()), root100)).isTrue();

        ConsistencyProof c = queries.consistencyProof(100, OptionalLong.empty());
        assertThat(c.second()).isEqualTo(700);
        assertThat(MerkleProofs.verifyConsistency(100, 700, hashes(c.consistencyPath()), root100, root)).isTrue();
        assertThat(queries.rootAt(700)).isEqualTo(latest.rootHex());
        assertThat(verifier.verify()).satisfies(v -> {
            assertThat(v.ok()).as(v.firstProblem().map(Verification.Problem::describe).orElse("")).isTrue();
            assertThat(v.entriesChecked()).isEqualTo(700);
            assertThat(v.checkpointsChecked()).isEqualTo(3);
        });
    }

    @Test
    void proofJson_followsTheCliContract() {
        for (int i = 0; i < 5; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        log.checkpointIfGrown();
        InclusionProof p = queries.inclusionProof(2, OptionalLong.empty());
        assertThat(p.toJson()).matches("\\{\"index\":2,\"tree_size\":5,\"leaf_hash\":\"[0-9a-f]{64}\",\"inclusion_path\":"
                + "\\[\"[0-9a-f]{64}\",\"[0-9a-f]{64}\",\"[0-9a-f]{64}\"]}");
        int expected = Rfc9162Reference.proof(3, entryBytes()).size();
        assertThat(queries.consistencyProof(3, OptionalLong.empty()).toJson())
                .matches("\\{\"first\":3,\"second\":5,\"consistency_path\":\\[\"[0-9a-f]{64}\"(,\"[0-9a-f]{64}\"){" + (expected - 1) + "}]}");
        assertThat(queries.consistencyProof(5, OptionalLong.empty()).toJson()).isEqualTo("{\"first\":5,\"second\":5,\"consistency_path\":[]}");
    }

    @Test
    void proofs_outsideTheTree_areInvalidInput() {
        appendRecall(0, AuditEvent.RECALL_GRANTED, "agent");
        assertThatThrownBy(() -> queries.inclusionProof(0, OptionalLong.empty()))
                .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).code()).isEqualTo(ErrorCode.INPUT_STATE);
        log.checkpointIfGrown();
        assertThatThrownBy(() -> queries.inclusionProof(1, OptionalLong.empty())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> queries.inclusionProof(0, OptionalLong.of(2))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> queries.consistencyProof(2, OptionalLong.of(1))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void export_and_log_returnExactEntryText() {
        for (int i = 0; i < 6; i++) appendRecall(i, i % 2 == 0 ? AuditEvent.RECALL_GRANTED : AuditEvent.RECALL_REFUSED, "agent");
        String json = queries.exportJson(OptionalLong.of(1), OptionalLong.of(3));
        assertThat(json).isEqualTo("{\"entries\":[{\"index\":1,\"entry\":" + CanonicalJson.quote(store.entries.get(1L).text())
                + "},{\"index\":2,\"entry\":" + CanonicalJson.quote(store.entries.get(2L).text()) + "}]}");
        assertThat(queries.exportJson(OptionalLong.empty(), OptionalLong.empty())).contains("\"index\":5").doesNotContain("\"index\":6");
        assertThat(queries.log(Optional.of("m-1"), Optional.empty(), 10)).extracting(AuditRecord::index).containsExactly(1L, 4L);
        assertThat(queries.log(Optional.empty(), Optional.of(AuditEvent.RECALL_REFUSED), 2)).extracting(AuditRecord::index)
                .containsExactly(3L, 5L);
        assertThatThrownBy(() -> queries.exportJson(OptionalLong.of(4), OptionalLong.of(9))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void refusedRecalls_countsByRequesterAndTime() {
        for (int i = 0; i < 10; i++) appendRecall(i, AuditEvent.RECALL_REFUSED, i < 4 ? "mallory" : "alice");
        appendRecall(10, AuditEvent.RECALL_GRANTED, "mallory");
        assertThat(log.refusedRecalls(Optional.empty(), T0)).isEqualTo(10);
        assertThat(log.refusedRecalls(Optional.of("mallory"), T0)).isEqualTo(4);
        assertThat(log.refusedRecalls(Optional.of("mallory"), T0.plusSeconds(2))).isEqualTo(2);
        assertThat(log.refusedRecalls(Optional.of("nobody"), T0)).isZero();
    }

    @Test
    void rotateKey_revokesOldEpoch_keepsOldCheckpointsValid_andDestroysOldPrivateKey() {
        for (int i = 0; i < 10; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        String oldKey = log.verifierKey();
        KeyRotation r = log.rotateKey();
        assertThat(r.oldEpoch()).isEqualTo(1);
        assertThat(r.newEpoch()).isEqualTo(2);
        assertThat(r.revokedAtIndex()).isEqualTo(10);
        assertThat(log.verifierKey()).isEqualTo(r.newVerifierKey()).isNotEqualTo(oldKey);
        assertThat(store.entries.get(10L).text()).contains("\"type\":\"audit.key.rotate\"").contains("\"old_key_id\":\"" + r.oldKeyId() + "\"")
                .contains("\"new_key_id\":\"" + r.newKeyId() + "\"");
        assertThat(store.checkpoints.keySet()).containsExactly(10L, 11L);
        assertThat(SignedNote.parse(store.checkpoints.get(10L).note()).verifiedBy(VerifierKey.parse(oldKey))).isTrue();
        assertThat(SignedNote.parse(store.checkpoints.get(11L).note()).verifiedBy(VerifierKey.parse(r.newVerifierKey()))).isTrue();
        assertThatThrownBy(() -> signer.sign(1, new byte[1])).isInstanceOf(IllegalStateException.class);
        appendRecall(11, AuditEvent.RECALL_GRANTED, "agent");
        assertThat(log.checkpointIfGrown().orElseThrow().epoch()).isEqualTo(2);
        assertThat(verifier.verify().ok()).isTrue();
        String archive = queries.archiveJson(OptionalLong.empty());
        assertThat(archive).startsWith("{\"origin\":\"memory-vault/0b9e7c2a-test\",\"checkpoints\":[{\"tree_size\":10,\"epoch\":1,")
                .contains("\"verifier_key\":\"" + oldKey + "\"").contains("\"revoked_at_index\":10")
                .contains("\"verifier_key\":\"" + r.newVerifierKey() + "\"").contains("\"revoked_at_index\":null");
        assertThat(queries.archiveJson(OptionalLong.of(11))).contains("\"tree_size\":10").doesNotContain("\"tree_size\":11")
                .doesNotContain(r.newVerifierKey());
    }

    @Test
    void checkpoint_refusesWhenTheLogIsShorterThanItsLastCheckpoint() {
        for (int i = 0; i < 4; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        log.checkpointIfGrown();
        store.entries.remove(3L);
        CompactRange range = CompactRange.empty();
        for (AuditStore.Entry e : store.entries.values()) range.append(HEX.parseHex(e.leafHash()), new TreeHasher(), (h, i, x) -> {});
        store.head = Heads.toHead(range);
        assertThatThrownBy(log::checkpointIfGrown).isInstanceOf(IntegrityException.class)
                .extracting(e -> ((IntegrityException) e).code()).isEqualTo(ErrorCode.INTEGRITY_AUDIT_LOG);
        assertThatThrownBy(log::requireNotCutBack).isInstanceOf(IntegrityException.class)
                .extracting(e -> ((IntegrityException) e).code()).isEqualTo(ErrorCode.INTEGRITY_AUDIT_LOG);
    }

    @Test
    void hasPrefix_rememberedFromTheLastProof_stillFindsAPrefixRewrittenWithItsHead() {
        for (int i = 0; i < 5; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        AuditLog.Head sealed = log.head();
        for (int i = 5; i < 20; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        assertThat(log.hasPrefix(sealed.size(), sealed.rootHex())).isTrue();          // proved in full, then remembered
        for (int i = 20; i < 23; i++) {
            appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
            assertThat(log.hasPrefix(sealed.size(), sealed.rootHex())).isTrue();      // each step from the one before
        }
        // an agent rewrites entry 2 (inside the sealed prefix) and rebuilds the head over the new leaves
        AuditStore.Entry e2 = store.entries.get(2L);
        String forged = HEX.formatHex(new TreeHasher().leaf("forged".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        store.entries.put(2L, new AuditStore.Entry(2, "forged", forged, e2.type(), e2.at(), e2.requester(), e2.memoryId()));
        CompactRange range = CompactRange.empty();
        for (AuditStore.Entry e : store.entries.values()) range.append(HEX.parseHex(e.leafHash()), new TreeHasher(), (h, i, x) -> {});
        store.head = Heads.toHead(range);
        assertThat(log.hasPrefix(sealed.size(), sealed.rootHex())).isFalse();
    }

    @Test
    void requireNotCutBack_passes_whileTheLogIsAtLeastItsLastCheckpoint() {
        log.requireNotCutBack();                                   // no checkpoint yet
        for (int i = 0; i < 4; i++) appendRecall(i, AuditEvent.RECALL_GRANTED, "agent");
        log.checkpointIfGrown();
        log.requireNotCutBack();
        appendRecall(4, AuditEvent.RECALL_GRANTED, "agent");
        log.requireNotCutBack();
    }

    @Test
    void checkpoint_refusesToSignWithAKeyThatIsNotTheRecordedOne() {
        appendRecall(0, AuditEvent.RECALL_GRANTED, "agent");
        log.checkpointIfGrown();
        signer.useSeed(1, new byte[32]);
        appendRecall(1, AuditEvent.RECALL_GRANTED, "agent");
        assertThatThrownBy(log::checkpointIfGrown).isInstanceOf(IntegrityException.class)
                .extracting(e -> ((IntegrityException) e).code()).isEqualTo(ErrorCode.INTEGRITY_WRONG_KEY);
    }

    private static List<byte[]> hashes(List<String> hex) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) out.add(HEX.parseHex(h));
        return out;
    }
}
