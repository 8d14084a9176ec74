package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.port.AuditStore;

/**
 * The contract of {@link AuditStore}: it returns what was written, in index order, and answers its
 * queries from the query columns. Run against the fake the audit module's tests use and the SQLite
 * store, so the fake cannot drift. (The store is untrusted; the verifier re-derives everything.)
 */
public abstract class AuditStoreContract {
    /** A fresh, empty store, run inside {@code tx} where it needs a transaction, and what releases it. */
    protected record Subject(AuditStore store, org.memoryvault.domain.port.Transactions tx, AutoCloseable onClose) {
        public Subject {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(onClose, "onClose");
        }
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract Subject newStore();

    private Subject s;
    private AuditStore store;

    @BeforeEach
    void open() {
        s = newStore();
        store = s.store();
    }

    @AfterEach
    void close() throws Exception { s.onClose().close(); }

    private static String hex(int i) { return String.format("%064x", i + 1); }

    private static AuditStore.Entry entry(long index, String type, String requester, String memory) {
        return new AuditStore.Entry(index, "{\"seq\":" + index + ",\"type\":\"" + type + "\"}", hex((int) index + 1000), type,
                T0.plusSeconds(index), Optional.of(requester), Optional.of(memory));
    }

    /** A head of {@code size} entries with a compact range of the right length. */
    private static AuditStore.Head head(long size) {
        List<String> range = new ArrayList<>();
        for (int i = 0; i < Long.bitCount(size); i++) range.add(hex((int) size * 10 + i));
        return new AuditStore.Head(size, range);
    }

    private void append(AuditStore.Entry e, List<AuditStore.Node> completed) {
        s.tx().run(() -> store.append(e, head(e.index() + 1), completed));
    }

    @Test
    void aFreshStore_isEmpty() {
        assertThat(store.head()).isEqualTo(AuditStore.Head.EMPTY);
        assertThat(store.entries(0, 10)).isEmpty();
        assertThat(store.latestCheckpoint()).isEmpty();
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void entries_comeBackAsWritten_inIndexOrder_withTheHeadAndLeafHashes() {
        append(entry(0, "memory.store", "owner", "m-0"), List.of());
        append(entry(1, "memory.recall.granted", "agent", "m-0"), List.of(new AuditStore.Node(1, 0, hex(77))));
        s.tx().run(() -> store.appendAll(List.of(entry(2, "memory.store", "owner", "m-1"), entry(3, "memory.store", "owner", "m-2"),
                entry(4, "memory.recall.refused", "agent", "m-1")), head(5), List.of(new AuditStore.Node(2, 0, hex(88)))));

        assertThat(store.head()).isEqualTo(head(5));
        List<AuditStore.Entry> all = store.entries(0, 100);
        assertThat(all).extracting(AuditStore.Entry::index).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(all.get(4)).isEqualTo(entry(4, "memory.recall.refused", "agent", "m-1"));
        assertThat(store.entries(1, 2)).extracting(AuditStore.Entry::index).containsExactly(1L, 2L);
        assertThat(store.leafHashes(1, 3)).containsExactly(hex(1001), hex(1002));
        assertThat(store.nodes(1, 0, 1)).containsExactly(new AuditStore.Node(1, 0, hex(77)));
        assertThat(store.nodes(2, 0, 4)).containsExactly(new AuditStore.Node(2, 0, hex(88)));
        assertThat(store.nodes(1, 1, 4)).isEmpty();
    }

    @Test
    void findAndCount_answerFromTheQueryColumns() {
        append(entry(0, "memory.recall.refused", "agent-a", "m-0"), List.of());
        append(entry(1, "memory.recall.refused", "agent-b", "m-1"), List.of());
        append(entry(2, "memory.store", "agent-a", "m-1"), List.of());
        append(entry(3, "memory.recall.refused", "agent-a", "m-1"), List.of());

        assertThat(store.find(Optional.of("m-1"), Optional.empty(), 10)).extracting(AuditStore.Entry::index).containsExactly(1L, 2L, 3L);
        assertThat(store.find(Optional.of("m-1"), Optional.of("memory.recall.refused"), 1)).extracting(AuditStore.Entry::index)
                .as("the last match, not the first").containsExactly(3L);
        assertThat(store.count("memory.recall.refused", Optional.of("agent-a"), T0)).isEqualTo(2);
        assertThat(store.count("memory.recall.refused", Optional.empty(), T0.plusSeconds(1))).as("since is inclusive").isEqualTo(2);
        assertThat(store.count("memory.recall.refused", Optional.empty(), T0.plusSeconds(4))).isZero();
    }

    @Test
    void checkpoints_areKeptByTreeSize() {
        s.tx().run(() -> store.addKey(new AuditStore.SigningKey(1, "0a0b0c0d", hex(1), T0, OptionalLong.empty())));  // the signer's epoch
        for (long size : new long[] {2, 5, 9}) {
            s.tx().run(() -> store.addCheckpoint(new AuditStore.Checkpoint(size, 1, "note " + size, T0.plusSeconds(size))));
        }
        assertThat(store.latestCheckpoint()).get().extracting(AuditStore.Checkpoint::treeSize).isEqualTo(9L);
        assertThat(store.checkpoints(2, 10)).extracting(AuditStore.Checkpoint::treeSize).containsExactly(5L, 9L);
        assertThat(store.checkpoints(0, 1)).extracting(AuditStore.Checkpoint::note).containsExactly("note 2");
    }

    @Test
    void signingKeys_areListedByEpoch_andRevocationIsRecorded() {
        s.tx().run(() -> {
            store.addKey(new AuditStore.SigningKey(1, "0a0b0c0d", hex(1), T0, OptionalLong.empty()));
            store.addKey(new AuditStore.SigningKey(2, "1a1b1c1d", hex(2), T0.plusSeconds(60), OptionalLong.empty()));
            store.revokeKey(1, 7);
        });
        assertThat(store.keys()).extracting(AuditStore.SigningKey::epoch).containsExactly(1, 2);
        assertThat(store.keys().get(0).revokedAtIndex()).hasValue(7);
        assertThat(store.keys().get(1).revokedAtIndex()).isEmpty();
    }
}
