package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.BackupRecord;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.port.BackupRows;
import org.memoryvault.domain.testing.MemoryTestData;
import org.memoryvault.domain.testing.ProfileTestData;

/**
 * Incremental backups at the storage layer (docs/FORMAT.md §9 "changes", §14): a full export,
 * then the changes after each backup point, applied in order to an empty database, rebuild every
 * table row for row, whatever inserts, updates and deletions (purges cascade to recalls) came
 * between; and the row counts each export carries are the source's.
 */
class SqliteIncrementalBackupProperties {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** What happens to the source between backups: {@code op} picks the kind, {@code n} the memory (or the class). */
    record Op(int op, int n) {}

    @Provide Arbitrary<List<Op>> histories() {
        return Arbitraries.integers().between(0, 6).flatMap(op -> Arbitraries.integers().between(0, 40).map(n -> new Op(op, n)))
                .list().ofMaxSize(60);
    }

    @Property(tries = 40)
    void aFullBackupThenEachIncremental_rebuildsTheSource(@ForAll("histories") List<Op> history) throws Exception {
        Path root = Files.createTempDirectory("mv-incremental");
        try (SqliteVaultStorage source = SqliteVaultStorage.create(root.resolve("a"), SqliteDatabases.Options.DEFAULT)) {
            source.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
            List<MemoryId> stored = new ArrayList<>();
            List<List<BackupRecord>> chain = new ArrayList<>();
            chain.add(backup(source));
            for (Op o : history) {
                Instant at = T0.plusSeconds(stored.size());
                switch (o.op()) {
                    case 0, 1 -> {
                        MemoryId id = MemoryTestData.aMemoryId();
                        source.memories().insert(MemoryTestData.aMemory().withId(id).withCreatedAt(at)
                                .withClassification(Classification.values()[o.n() % 6]).withMetadata("{\"word\":\"w" + o.n() + "\"}").build());
                        stored.add(id);
                    }
                    case 2 -> pick(stored, o).ifPresent(id -> source.memories().recordRecall(id, at, "agent:x", "why " + o.n()));
                    case 3 -> pick(stored, o).ifPresent(id -> source.memories().tombstone(id, new Tombstone(at, "r" + o.n(), "owner", false)));
                    case 4 -> stored.removeAll(source.memories().purgeEphemeral(T0.plusSeconds(o.n())));
                    case 5 -> source.state().setLockdown(o.n() % 2 == 0 ? LockdownState.entered(at, "r", "owner") : LockdownState.left(at, "owner"));
                    default -> chain.add(backup(source));
                }
            }
            chain.add(backup(source));

            try (SqliteVaultStorage target = SqliteVaultStorage.create(root.resolve("b"), SqliteDatabases.Options.DEFAULT)) {
                target.backupRows().importAll(chain.get(0).iterator());
                for (List<BackupRecord> incremental : chain.subList(1, chain.size())) {
                    assertThat(incremental).allMatch(r -> r.kind() == BackupRecord.Kind.ROW || r.kind() == BackupRecord.Kind.DELETE);
                    target.backupRows().applyChanges(incremental.iterator());
                }
                assertThat(dump(root.resolve("b"))).isEqualTo(dump(root.resolve("a")));
                assertThat(target.backupRows().tables()).isEqualTo(source.backupRows().tables());
            }
        } finally {
            deleteTree(root);
        }
    }

    /**
     * Found by the property: a purged memory's seq and its recall's id were reused by a new memory
     * and its recall, so the incremental updated the memories row while the target's old recall
     * still pointed at the old id (a foreign key refused it until the recall's own record came).
     */
    @Example
    void reusedKeysOfAPurgedMemoryAndItsRecall_apply() throws Exception {
        aFullBackupThenEachIncremental_rebuildsTheSource(List.of(new Op(0, 0), new Op(2, 0), new Op(6, 0), new Op(2, 0), new Op(4, 40),
                new Op(4, 40), new Op(1, 7), new Op(0, 40), new Op(2, 1)));
    }

    @Example
    void anIncremental_carriesOnlyWhatChanged_andADeletionForWhatIsGone() throws Exception {
        Path root = Files.createTempDirectory("mv-incremental");
        try (SqliteVaultStorage source = SqliteVaultStorage.create(root.resolve("a"), SqliteDatabases.Options.DEFAULT)) {
            source.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
            for (int i = 0; i < 50; i++) {
                source.memories().insert(MemoryTestData.aMemory().withCreatedAt(T0).withClassification(Classification.WORKING).build());
            }
            MemoryId ephemeral = MemoryTestData.aMemoryId();
            source.memories().insert(MemoryTestData.aMemory().withId(ephemeral).withCreatedAt(T0).withClassification(Classification.EPHEMERAL).build());
            source.memories().recordRecall(ephemeral, T0, "agent:x", "once");
            backup(source);

            source.memories().purgeEphemeral(T0.plusSeconds(1));
            List<BackupRecord> next = backup(source);

            assertThat(next).filteredOn(r -> r.kind() == BackupRecord.Kind.DELETE).extracting(BackupRecord::name)
                    .containsExactlyInAnyOrder("memories", "recalls");
            assertThat(next).filteredOn(r -> r.kind() == BackupRecord.Kind.ROW).isEmpty();
            assertThat(backup(source)).isEmpty();
        } finally {
            deleteTree(root);
        }
    }

    @Example
    void anIncremental_ofARowOfAnUnknownTableOrTheWrongWidth_isRefusedAndChangesNothing() throws Exception {
        Path root = Files.createTempDirectory("mv-incremental");
        try (SqliteVaultStorage target = SqliteVaultStorage.create(root.resolve("b"), SqliteDatabases.Options.DEFAULT)) {
            target.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
            Map<String, List<String>> before = dump(root.resolve("b"));
            for (BackupRecord bad : List.of(BackupRecord.row("changes", List.of("memories", 1L, "", 9L)),
                    BackupRecord.deletion("sqlite_master", List.of("x")), BackupRecord.row("vault_state", List.of("lockdown")),
                    BackupRecord.deletion("key_slots", List.of("default")))) {
                List<BackupRecord> changes = List.of(BackupRecord.deletion("profiles", List.of("default")), bad);
                assertThatThrownBy(() -> target.backupRows().applyChanges(changes.iterator())).isInstanceOf(IntegrityException.class);
                assertThat(dump(root.resolve("b"))).isEqualTo(before);
            }
        } finally {
            deleteTree(root);
        }
    }

    /**
     * Found in review: a process of the same user renamed two columns of the restored copy, so the
     * merge put its values in the wrong columns. The merge reads the copy on the connection its
     * caller holds and refuses a copy whose table definitions are not this database's.
     */
    @Example
    void aMerge_refusesACopyWhoseTablesWereRedefined_andTakesANewMemoryOtherwise() throws Exception {
        Path root = Files.createTempDirectory("mv-merge");
        try (SqliteVaultStorage vault = SqliteVaultStorage.create(root.resolve("a"), SqliteDatabases.Options.DEFAULT);
             SqliteVaultStorage copy = SqliteVaultStorage.create(root.resolve("b"), SqliteDatabases.Options.DEFAULT)) {
            for (SqliteVaultStorage s : List.of(vault, copy)) {
                s.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
            }
            MemoryId id = MemoryTestData.aMemoryId();
            copy.memories().insert(MemoryTestData.aMemory().withId(id).withCreatedAt(T0).withClassification(Classification.WORKING).build());
            BackupRows.MergeReport r = copy.transactions().inSnapshot(() -> vault.backupRows().merge(copy.backupRows(), T0, BackupRows.Prefer.NONE));
            assertThat(r.inserted()).isEqualTo(1);
            assertThat(vault.memories().find(id)).isPresent();

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("b").resolve("vault.db"));
                 Statement st = c.createStatement()) {
                st.execute("ALTER TABLE memories RENAME COLUMN cooldown_seconds TO cooldown");
            }
            Map<String, List<String>> before = dump(root.resolve("a"));
            assertThatThrownBy(() -> copy.transactions().inSnapshot(() -> vault.backupRows().merge(copy.backupRows(), T0, BackupRows.Prefer.NONE)))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining("other table definitions");
            assertThat(dump(root.resolve("a"))).isEqualTo(before);
        } finally {
            deleteTree(root);
        }
    }

    /** Exports what changed since the last backup point (everything, the first time) and makes this the new point. */
    private static List<BackupRecord> backup(SqliteVaultStorage s) {
        OptionalLong since = s.backupRows().chainPoint().map(p -> OptionalLong.of(p.changeSeq())).orElse(OptionalLong.empty());
        List<BackupRecord> out = new ArrayList<>();
        var exported = s.backupRows().export(List::of, since, out::add);
        assertThat(exported.records()).isEqualTo(out.size());
        assertThat(exported.tables()).isEqualTo(s.backupRows().tables());
        s.backupRows().setChainPoint(new BackupRows.ChainPoint("b" + exported.changeSeq(), "00".repeat(32), exported.changeSeq(), "00".repeat(64)), T0);
        return out;
    }

    private static java.util.Optional<MemoryId> pick(List<MemoryId> stored, Op o) {
        return stored.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(stored.get(o.n() % stored.size()));
    }

    /** Every row of every table a backup carries, in key order, as text. */
    private static Map<String, List<String>> dump(Path dir) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"))) {
            for (String table : SqliteBackupRows.TABLES) {
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            b.append(v instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(v)).append('|');
                        }
                        rows.add(b.toString());
                    }
                }
                out.put(table, rows);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM memory_search WHERE memory_search MATCH 'w1 OR w2 OR w3 OR w4 OR w5'")) {
                rs.next();
                out.put("memory_search matches", List.of(String.valueOf(rs.getLong(1))));
            }
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
