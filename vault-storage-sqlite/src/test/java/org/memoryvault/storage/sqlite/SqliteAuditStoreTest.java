package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.port.AuditStore;

/** Round trips through the audit tables of a real vault.db (the Merkle logic is tested in vault-audit). */
class SqliteAuditStoreTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123Z");

    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteAuditStore store;
    private SqliteTransactions tx;

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        store = new SqliteAuditStore(db);
        tx = new SqliteTransactions(db);
    }

    @AfterEach
    void close() { db.close(); }

    private static String hash(int n) { return String.format("%064x", n); }

    private static AuditStore.Entry entry(long i, String type, Optional<String> requester, Optional<String> memory) {
        return new AuditStore.Entry(i, "{\"seq\":" + i + ",\"text\":\"é\\u0001\"}", hash(1000 + (int) i), type, T0.plusSeconds(i), requester, memory);
    }

    /** Appends entries 0..n-1 with heads of the right shape (hash values are arbitrary here). */
    private void appendEntries(int n) {
        for (int i = 0; i < n; i++) {
            long size = i + 1;
            List<String> range = java.util.stream.IntStream.range(0, Long.bitCount(size)).mapToObj(b -> hash(b + 7 * (int) size)).toList();
            List<AuditStore.Node> nodes = size % 4 == 0 ? List.of(new AuditStore.Node(2, size / 4 - 1, hash(500 + i))) : List.of();
            String type = i % 2 == 0 ? "memory.recall.refused" : "memory.store";
            store.append(entry(i, type, i % 3 == 0 ? Optional.of("mallory") : Optional.empty(), Optional.of("m-" + (i % 2))),
                    new AuditStore.Head(size, range), nodes);
        }
    }

    @Test
    void newVault_hasEmptyLog_andSchemaVersion2() {
        assertThat(store.head()).isEqualTo(AuditStore.Head.EMPTY);
        assertThat(store.entries(0, 10)).isEmpty();
        assertThat(store.latestCheckpoint()).isEmpty();
        assertThat(store.keys()).isEmpty();
        assertThat(db.schemaVersion()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void entriesHeadAndNodes_roundTrip_exactly_andSurviveReopen() {
        appendEntries(9);
        db.close();
        db = SqliteDatabases.openExisting(dir);
        store = new SqliteAuditStore(db);

        assertThat(store.head().size()).isEqualTo(9);
        assertThat(store.head().compactRange()).containsExactly(hash(63), hash(64));
        assertThat(store.entries(0, 100)).hasSize(9).first().isEqualTo(entry(0, "memory.recall.refused", Optional.of("mallory"), Optional.of("m-0")));
        assertThat(store.entries(7, 100)).extracting(AuditStore.Entry::index).containsExactly(7L, 8L);
        assertThat(store.entries(2, 3)).extracting(AuditStore.Entry::index).containsExactly(2L, 3L, 4L);
        assertThat(store.leafHashes(3, 6)).containsExactly(hash(1003), hash(1004), hash(1005));
        assertThat(store.nodes(2, 0, 5)).containsExactly(new AuditStore.Node(2, 0, hash(503)), new AuditStore.Node(2, 1, hash(507)));
        assertThat(store.nodes(2, 1, 2)).hasSize(1);
        assertThat(store.nodes(8, 0, 5)).isEmpty();
    }

    @Test
    void find_filtersAndReturnsTheLastMatchesOldestFirst() {
        appendEntries(10);
        assertThat(store.find(Optional.empty(), Optional.empty(), 3)).extracting(AuditStore.Entry::index).containsExactly(7L, 8L, 9L);
        assertThat(store.find(Optional.of("m-1"), Optional.empty(), 100)).extracting(AuditStore.Entry::index).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(store.find(Optional.of("m-0"), Optional.of("memory.recall.refused"), 2)).extracting(AuditStore.Entry::index)
                .containsExactly(6L, 8L);
        assertThat(store.find(Optional.of("m-1"), Optional.of("memory.recall.refused"), 5)).isEmpty();
    }

    @Test
    void count_byTypeRequesterAndTime() {
        appendEntries(10);
        assertThat(store.count("memory.recall.refused", Optional.empty(), T0)).isEqualTo(5);
        assertThat(store.count("memory.recall.refused", Optional.of("mallory"), T0)).isEqualTo(2); // 0 and 6
        assertThat(store.count("memory.recall.refused", Optional.of("mallory"), T0.plusSeconds(1))).isEqualTo(1);
        assertThat(store.count("memory.recall.refused", Optional.empty(), T0.plusSeconds(100))).isZero();
    }

    @Test
    void count_ofOtherTypes_scansTheirEntries() {
        appendEntries(10);
        assertThat(store.count("memory.store", Optional.empty(), T0)).isEqualTo(5);
        assertThat(store.count("memory.store", Optional.of("mallory"), T0)).isEqualTo(2); // 3 and 9
        assertThat(store.count("memory.store", Optional.empty(), T0.plusSeconds(6))).isEqualTo(2); // 7 and 9
        assertThat(store.count("no.such.type", Optional.empty(), T0)).isZero();
    }

    @Test
    void count_ofRefusedRecalls_usesThePartialIndexThatOnlyRefusalsEnter() {
        for (boolean byRequester : new boolean[] {false, true}) {
            String plan = db.jdbi().withHandle(h -> String.join(" ", h.createQuery("EXPLAIN QUERY PLAN "
                            + SqliteAuditStore.countSql("memory.recall.refused", byRequester))
                    .bind("since", 0L).bind("requester", "x").map((rs, ctx) -> rs.getString("detail")).list()));
            assertThat(plan).contains("audit_entries_refused_by_time");
        }
    }

    @Test
    void checkpointsAndKeys_roundTrip() {
        store.addKey(new AuditStore.SigningKey(1, "c74f20a3", hash(1), T0, OptionalLong.empty()));
        store.addKey(new AuditStore.SigningKey(2, "0a0b0c0d", hash(2), T0, OptionalLong.empty()));
        store.revokeKey(1, 41);
        assertThat(store.keys()).containsExactly(new AuditStore.SigningKey(1, "c74f20a3", hash(1), T0, OptionalLong.of(41)),
                new AuditStore.SigningKey(2, "0a0b0c0d", hash(2), T0, OptionalLong.empty()));
        assertThatThrownBy(() -> store.revokeKey(1, 50)).isInstanceOf(InternalVaultException.class);

        for (long size : new long[] {0, 5, 41, 42}) {
            store.addCheckpoint(new AuditStore.Checkpoint(size, size <= 41 ? 1 : 2, "origin\n" + size + "\nroot\n\n\u2014 sig\n", T0));
        }
        assertThat(store.latestCheckpoint()).get().extracting(AuditStore.Checkpoint::treeSize).isEqualTo(42L);
        assertThat(store.checkpoints(-1, 2)).extracting(AuditStore.Checkpoint::treeSize).containsExactly(0L, 5L);
        assertThat(store.checkpoints(5, 10)).extracting(AuditStore.Checkpoint::treeSize).containsExactly(41L, 42L);
        assertThat(store.checkpoints(5, 10).get(0).note()).isEqualTo("origin\n41\nroot\n\n\u2014 sig\n");
    }

    @Test
    void append_insideARolledBackTransaction_leavesNothing() {
        assertThatThrownBy(() -> tx.run(() -> {
            appendEntries(3);
            throw new IllegalStateException("the recorded change failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.head()).isEqualTo(AuditStore.Head.EMPTY);
        assertThat(store.entries(0, 10)).isEmpty();
        assertThat(store.nodes(2, 0, 10)).isEmpty();
    }
}
