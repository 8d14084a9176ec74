package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AuditEvent;

/**
 * Existence proofs (docs/PROOFS.md) made from a real Merkle log with a real Ed25519 checkpoint:
 * every honest proof verifies and opens to its content only; altering any one field, using another
 * key, or another content or opening, fails.
 */
class ExistenceProofProperties {
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    /** A log with {@code before} entries, the memory's store entry, then {@code after} entries. */
    record Scenario(int before, int after, byte[] content, byte[] commitKey, boolean viaCommitEntry) {}

    record Made(ExistenceProof proof, VerifierKey key) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64), Arbitraries.bytes().array(byte[].class).ofSize(32),
                Arbitraries.of(true, false)).as(Scenario::new);
    }

    static String commitment(byte[] key, UUID id, byte[] content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        return HEX.formatHex(mac.doFinal(content));
    }

    static Made make(Scenario s, UUID id) throws Exception {
        InMemoryAuditStore store = new InMemoryAuditStore();
        AuditConfig config = AuditConfig.forVault("5f0c1d2e-proof-test");
        MerkleAuditLog log = new MerkleAuditLog(store, new JdkEd25519Signer(new SecureRandom()), new DirectTransactions(),
                Clock.fixed(T0, ZoneOffset.UTC), config);
        for (int i = 0; i < s.before(); i++) {
            log.append(AuditEvent.of("memory.recall.granted", T0.plusSeconds(i)).with("memory_id", UUID.randomUUID().toString())
                    .with("requester", "agent").with("classification", i % 6));
            if (i % 7 == 3) log.checkpointIfGrown();
        }
        String c = commitment(s.commitKey(), id, s.content());
        long index = log.append(AuditEvent.of(s.viaCommitEntry() ? "memory.commit" : "memory.store", T0.plusSeconds(100))
                .with("memory_id", id.toString()).with("classification", 3).with("profile", "default").with("key_version", 1)
                .with("commitment", c));
        for (int i = 0; i < s.after(); i++) {
            log.append(AuditEvent.of("lockdown.enter", T0.plusSeconds(200 + i)).with("reason", "r" + i).with("by", "owner"));
        }
        SignedCheckpoint cp = log.checkpointIfGrown().orElseThrow();
        AuditQueries q = new AuditQueries(store, config);
        InclusionProof p = q.inclusionProof(index, OptionalLong.of(cp.treeSize()));
        String entry = q.entries(index, index + 1).get(0).entry();
        return new Made(new ExistenceProof(id.toString(), c, entry, index, cp.treeSize(), p.inclusionPath(), cp.note()),
                VerifierKey.parse(log.verifierKey()));
    }

    @Property(tries = 60)
    void anHonestProof_verifies_andOpensToItsContentOnly(@ForAll("scenarios") Scenario s) throws Exception {
        UUID id = UUID.randomUUID();
        Made m = make(s, id);
        ExistenceProof.Verified v = m.proof().verify(m.key());
        assertThat(v.memoryId()).isEqualTo(id.toString());
        assertThat(v.index()).isEqualTo(s.before());
        assertThat(v.treeSize()).isEqualTo(s.before() + 1 + s.after());
        assertThat(v.classification()).isEqualTo(3);
        assertThat(m.proof().opensTo(s.commitKey(), s.content())).isTrue();

        byte[] other = java.util.Arrays.copyOf(s.content(), s.content().length + 1);
        assertThat(m.proof().opensTo(s.commitKey(), other)).isFalse();
        if (s.content().length > 0) {
            byte[] flipped = s.content().clone();
            flipped[flipped.length / 2] ^= 1;
            assertThat(m.proof().opensTo(s.commitKey(), flipped)).isFalse();
        }
        byte[] wrongKey = s.commitKey().clone();
        wrongKey[0] ^= (byte) 0x80;
        assertThat(m.proof().opensTo(wrongKey, s.content())).isFalse();
    }

    @Property(tries = 200)
    void alteringAnyField_failsVerification(@ForAll("scenarios") Scenario s, @ForAll @IntRange(min = 0, max = 9) int field,
                                            @ForAll @IntRange(min = 0, max = 100_000) int where) throws Exception {
        UUID id = UUID.randomUUID();
        Made m = make(s, id);
        ExistenceProof p = m.proof();
        List<String> path = new ArrayList<>(p.inclusionPath());
        ExistenceProof altered = switch (field) {
            case 0 -> new ExistenceProof(UUID.randomUUID().toString(), p.commitment(), p.entry(), p.index(), p.treeSize(), path, p.checkpoint());
            case 1 -> new ExistenceProof(p.memoryId(), flip(p.commitment(), where), p.entry(), p.index(), p.treeSize(), path, p.checkpoint());
            case 2 -> new ExistenceProof(p.memoryId(), p.commitment(), flip(p.entry(), where), p.index(), p.treeSize(), path, p.checkpoint());
            case 3 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index() + 1 + where % 3, p.treeSize(), path, p.checkpoint());
            case 4 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index(), p.treeSize() + 1 + where % 3, path, p.checkpoint());
            case 5 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index(), p.treeSize(), alterPath(path, where), p.checkpoint());
            case 6 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index(), p.treeSize(), path, flip(p.checkpoint(), where));
            case 7 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index() - 1 - where % 3, p.treeSize(), path, p.checkpoint());
            case 8 -> new ExistenceProof(p.memoryId(), p.commitment(), p.entry(), p.index(), p.treeSize() - 1 - where % 3, path, p.checkpoint());
            default -> p;
        };
        VerifierKey key = field == 9 ? make(s, id).key() : m.key();        // 9: a proof checked under another vault's key
        assertThatThrownBy(() -> altered.verify(key)).as("field %d", field).isInstanceOf(IntegrityException.class);
    }

    /** {@code s} with the character at {@code where} (mod its length) replaced by another printable one. */
    static String flip(String s, int where) {
        int i = where % s.length();
        char c = s.charAt(i);
        char r = c == 'a' ? 'b' : (c == '\n' ? 'x' : 'a');
        return s.substring(0, i) + r + s.substring(i + 1);
    }

    static List<String> alterPath(List<String> path, int where) {
        List<String> out = new ArrayList<>(path);
        if (out.isEmpty() || where % 3 == 0) {
            out.add(where % 2 == 0 ? 0 : out.size(), HEX.formatHex(new byte[32]));
        } else if (where % 3 == 1) {
            out.remove(where % out.size());
        } else {
            out.set(where % out.size(), flip(out.get(where % out.size()), where / 3));
        }
        return out;
    }
}
