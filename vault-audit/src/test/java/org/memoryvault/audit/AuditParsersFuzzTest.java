package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * Fuzz harnesses for the audit log's parsers of untrusted text (docs/TESTING.md). Contract of each:
 * the input parses to a value whose text is the input again, or fails with the project's own
 * exception and its stable code; never another exception. The proof verifiers are checked against
 * the RFC 9162 reference recomputation ({@link Rfc9162Reference}) on real trees with mutations.
 * {@code ./mvnw verify} runs the seed corpora in {@code src/test/resources/.../AuditParsersFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes (docs/TESTING.md).
 */
class AuditParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void checkpointBody(byte[] input) {
        String text = utf8(input);
        try {
            CheckpointBody body = CheckpointBody.parse(text);
            // extension lines after the root are accepted and ignored (C2SP tlog-checkpoint); the rest comes back exactly
            String[] lines = text.split("\n", 4);
            assertThat(body.text()).isEqualTo(lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n");
            assertThat(CheckpointBody.parse(body.text())).isEqualTo(body);
        } catch (IntegrityException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_AUDIT_LOG);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void signedNote(byte[] input) {
        String text = utf8(input);
        try {
            SignedNote note = SignedNote.parse(text);
            StringBuilder again = new StringBuilder(note.text()).append('\n');
            for (SignedNote.Line l : note.lines()) again.append(SignedNote.SIGNATURE_PREFIX).append(l.keyName()).append(' ').append(l.base64()).append('\n');
            assertThat(again.toString()).isEqualTo(text);
        } catch (IntegrityException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_SIGNATURE);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void verifierKey(byte[] input) {
        String text = utf8(input);
        try {
            assertThat(VerifierKey.parse(text).toString()).isEqualTo(text);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID);
        }
    }

    private static final byte[] SEED = new byte[32];
    private static final VerifierKey KEY = VerifierKey.of("memoryvault.test/fuzz", JdkEd25519Signer.publicKeyOf(SEED));

    /**
     * A real checkpoint signed with a real key, then either its note edited (as someone without the
     * key can) or a fuzzed body validly signed (as a holder of the key can). Contract: an edited note
     * never verifies unless its text is still exactly what was signed; whatever verifies parses, or
     * fails with {@code INTEGRITY_AUDIT_LOG}, and a parsed body says back exactly its first three lines.
     */
    @FuzzTest(maxDuration = "30s")
    void signedCheckpoint(FuzzedDataProvider data) {
        byte[] root = java.util.Arrays.copyOf(data.consumeBytes(32), 32);
        String body = CheckpointBody.of(KEY.name(), data.consumeLong() & Long.MAX_VALUE, root).text();
        String note = SignedNote.sign(body, KEY, m -> JdkEd25519Signer.sign(SEED, m));
        String text;
        if (data.consumeBoolean()) {
            int at = data.consumeInt(0, note.length());
            int cut = data.consumeInt(0, note.length() - at);
            text = note.substring(0, at) + data.consumeString(40) + note.substring(at + cut);
        } else {
            String fuzzedBody = data.consumeRemainingAsString();
            try {
                text = SignedNote.sign(fuzzedBody, KEY, m -> JdkEd25519Signer.sign(SEED, m));
            } catch (IllegalArgumentException notSignable) {
                return;
            }
            body = fuzzedBody;
        }
        SignedNote parsed;
        try {
            parsed = SignedNote.parse(text);
        } catch (IntegrityException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_SIGNATURE);
            return;
        }
        if (!parsed.verifiedBy(KEY)) return;
        assertThat(parsed.text()).as("a verified note's text is what was signed").isEqualTo(body);
        try {
            CheckpointBody checkpoint = CheckpointBody.parse(parsed.text());
            String[] lines = parsed.text().split("\n", 4);
            assertThat(checkpoint.text()).isEqualTo(lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n");
            assertThat(CheckpointBody.of(checkpoint.origin(), checkpoint.treeSize(), checkpoint.root()).text()).isEqualTo(checkpoint.text());
        } catch (IntegrityException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_AUDIT_LOG);
        }
    }

    /** A real tree, its real inclusion proof, then a mutation: the verifier agrees with the reference, and a true proof passes. */
    @FuzzTest(maxDuration = "30s")
    void inclusionProof(FuzzedDataProvider data) {
        List<byte[]> entries = entries(data);
        int n = entries.size();
        int m = data.consumeInt(0, n - 1);
        byte[] root = Rfc9162Reference.mth(entries);
        byte[] leaf = Rfc9162Reference.leaf(entries.get(m));
        List<byte[]> path = Rfc9162Reference.path(m, entries);
        assertThat(MerkleProofs.verifyInclusion(leaf, m, n, path, root)).isTrue();
        long index = data.consumeBoolean() ? m : data.consumeLong();
        long size = data.consumeBoolean() ? n : data.consumeLong();
        List<byte[]> mutated = mutate(path, data);
        boolean reference = index >= 0 && size >= 0 && Rfc9162Reference.verifyInclusion(index, size, leaf, mutated, root);
        assertThat(MerkleProofs.verifyInclusion(leaf, index, size, mutated, root)).isEqualTo(reference);
    }

    /** As {@link #inclusionProof}, for consistency proofs between two sizes of one real log. */
    @FuzzTest(maxDuration = "30s")
    void consistencyProof(FuzzedDataProvider data) {
        List<byte[]> entries = entries(data);
        int n = entries.size();
        int m = data.consumeInt(1, n);
        byte[] first = Rfc9162Reference.mth(entries.subList(0, m));
        byte[] second = Rfc9162Reference.mth(entries);
        List<byte[]> proof = Rfc9162Reference.proof(m, entries);
        assertThat(MerkleProofs.verifyConsistency(m, n, proof, first, second)).isTrue();
        long a = data.consumeBoolean() ? m : data.consumeLong();
        long b = data.consumeBoolean() ? n : data.consumeLong();
        List<byte[]> mutated = mutate(proof, data);
        boolean reference = a >= 0 && b >= 0 && Rfc9162Reference.verifyConsistency(a, b, first, second, mutated);
        assertThat(MerkleProofs.verifyConsistency(a, b, mutated, first, second)).isEqualTo(reference);
    }

    /** Inputs are bytes (so seed files are plain text); bytes that are not UTF-8 become U+FFFD, as any reader of a file would see. */
    static String utf8(byte[] input) { return new String(input, java.nio.charset.StandardCharsets.UTF_8); }

    private static List<byte[]> entries(FuzzedDataProvider data) {
        int n = data.consumeInt(1, 70);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new byte[] {(byte) i, (byte) (i >> 8), data.consumeByte()});
        return out;
    }

    /** Leaves the proof as it is, or flips one bit, drops, duplicates or appends a hash. */
    private static List<byte[]> mutate(List<byte[]> proof, FuzzedDataProvider data) {
        List<byte[]> out = new ArrayList<>();
        proof.forEach(h -> out.add(h.clone()));
        switch (data.consumeInt(0, 4)) {
            case 1 -> { if (!out.isEmpty()) { byte[] h = out.get(data.consumeInt(0, out.size() - 1)); h[data.consumeInt(0, 31)] ^= (byte) (1 << data.consumeInt(0, 7)); } }
            case 2 -> { if (!out.isEmpty()) out.remove(data.consumeInt(0, out.size() - 1)); }
            case 3 -> { if (!out.isEmpty()) out.add(data.consumeInt(0, out.size()), out.get(data.consumeInt(0, out.size() - 1)).clone()); }
            case 4 -> out.add(java.util.Arrays.copyOf(data.consumeBytes(32), 32));
            default -> { }
        }
        return out;
    }
}
