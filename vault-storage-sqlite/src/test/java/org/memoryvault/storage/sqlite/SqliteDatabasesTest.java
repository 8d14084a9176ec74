package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.model.Tombstone;

class SqliteDatabasesTest {
    @TempDir Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TRIGGER keep_open AFTER UPDATE ON vault_state BEGIN DELETE FROM vault_state WHERE key = 'lockdown.active'; END",
            "CREATE VIEW everything AS SELECT * FROM memories",
            "CREATE TABLE stash (x BLOB)",
            "CREATE INDEX memories_by_author ON memories (created_by)",
            "DROP TRIGGER memories_index_delete",
    })
    void aSchemaObjectTheVaultDidNotCreate_orOneItDidEditedOrGone_refusesTheOpen_andWritesNothing(String sql) throws Exception {
        SqliteDatabases.open(tmp).close();
        Path file = tmp.resolve("vault.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> SqliteDatabases.openExisting(tmp))
                .isInstanceOfSatisfying(org.memoryvault.domain.error.IntegrityException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void anEditedTriggerBody_refusesTheOpen() throws Exception {
        SqliteDatabases.open(tmp).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("vault.db")); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER memories_index_delete");
            s.execute("CREATE TRIGGER memories_index_delete AFTER DELETE ON memories BEGIN SELECT 1; END");
        }
        assertThatThrownBy(() -> SqliteDatabases.openExisting(tmp))
                .isInstanceOf(org.memoryvault.domain.error.IntegrityException.class).hasMessageContaining("memories_index_delete");
    }

    @Test
    void open_createsTheDirectory0700_andTheFiles0600() throws Exception {
        Path dir = tmp.resolve("a/b/vault");
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            Fixtures f = new Fixtures(1);
            new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
            new SqliteMemoryRepository(db).insert(f.memory("x"));

            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("vault.db"))).isEqualTo("rw-------");
            assertThat(dir.resolve("vault.db-wal")).exists();
            assertThat(mode(dir.resolve("vault.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("vault.db-shm"))).isEqualTo("rw-------");
            assertThat(db.file()).isEqualTo(dir.resolve("vault.db"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no probe file is left behind")
                    .allMatch(n -> n.startsWith("vault.db"));
        }
    }

    @Test
    void open_aWiderExistingDatabaseFile_isNarrowedTo0600() throws Exception {
        Path dir = tmp.resolve("v");
        SqliteDatabases.open(dir).close();
        Files.setPosixFilePermissions(dir.resolve("vault.db"), PosixFilePermissions.fromString("rw-r--r--"));

        SqliteDatabases.open(dir).close();

        assertThat(mode(dir.resolve("vault.db"))).isEqualTo("rw-------");
    }

    @Test
    void everyConnection_hasTheRequiredPragmas() {
        try (SqliteDatabase db = SqliteDatabases.open(tmp.resolve("v"),
                SqliteDatabases.Options.DEFAULT.withBusyTimeout(Duration.ofMillis(1234)))) {
            Map<String, Object> p = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM pragma_journal_mode, "
                    + "pragma_synchronous, pragma_secure_delete, pragma_foreign_keys, pragma_busy_timeout, "
                    + "pragma_trusted_schema").mapToMap().one());
            int autocheckpoint = db.jdbi().withHandle(h -> h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());

            assertThat(p).containsEntry("journal_mode", "wal").containsEntry("synchronous", 2)
                    .containsEntry("secure_delete", 1).containsEntry("foreign_keys", 1)
                    .containsEntry("timeout", 1234).containsEntry("trusted_schema", 0);
            assertThat(autocheckpoint).isEqualTo(8000);
        }
    }

    @Test
    void open_appliesEveryMigration_andReopeningKeepsTheData() {
        Path dir = tmp.resolve("v");
        Fixtures f = new Fixtures(2);
        Memory m = f.memory("kept");
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            assertThat(db.schemaVersion()).isEqualTo(SqliteDatabases.latestSchemaVersion());
            List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger') ORDER BY name").mapTo(String.class).list());
            assertThat(tables).contains("profiles", "key_slots", "memories", "recalls", "vault_state", "memory_search",
                    "recall_search", "memories_search_text_update", "memories_index_update", "memories_index_delete",
                    "recalls_index_insert", "recalls_index_delete");
            new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
            new SqliteMemoryRepository(db).insert(m);
        }
        try (SqliteDatabase db = SqliteDatabases.openExisting(dir)) {
            assertThat(new SqliteMemoryRepository(db).find(m.id())).isPresent();
            int userVersion = db.jdbi().withHandle(h -> h.createQuery("PRAGMA user_version").mapTo(Integer.class).one());
            assertThat(userVersion).isEqualTo(SqliteDatabases.latestSchemaVersion());
        }
    }

    @Test
    void openExisting_withoutAVault_isNotInitialised_andCreatesNothing() {
        Path dir = tmp.resolve("nothing-here");

        assertThatThrownBy(() -> SqliteDatabases.openExisting(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessage("no vault at " + dir + "; run `vault init`")
                .extracting("code").isEqualTo(ErrorCode.STORAGE_NOT_INITIALISED);
        assertThat(dir).doesNotExist();
    }

    @Test
    void open_newerSchema_isRefused_andTheFileIsNotModified() throws Exception {
        Path dir = tmp.resolve("v");
        SqliteDatabases.open(dir).close();
        Path file = dir.resolve("vault.db");
        int newer = SqliteDatabases.latestSchemaVersion() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + newer);
        }
        String before = sha256(file);
        long modified = Files.getLastModifiedTime(file).toMillis();

        assertThatThrownBy(() -> SqliteDatabases.openExisting(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessage("database schema version " + newer + " is newer than this vault ("
                        + SqliteDatabases.latestSchemaVersion() + "); upgrade memory-vault")
                .extracting("code").isEqualTo(ErrorCode.STORAGE_SCHEMA_NEWER);
        assertThatThrownBy(() -> SqliteDatabases.open(dir)).extracting("code").isEqualTo(ErrorCode.STORAGE_SCHEMA_NEWER);

        assertThat(sha256(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
    }

    @Test
    void open_newerSchema_inRollbackJournalMode_isRefusedBeforeSwitchingToWal() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("v"));
        Path file = dir.resolve("vault.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE from_the_future (x)");
            s.execute("PRAGMA user_version = 99");
        }
        String before = sha256(file);

        assertThatThrownBy(() -> SqliteDatabases.open(dir)).extracting("code").isEqualTo(ErrorCode.STORAGE_SCHEMA_NEWER);

        assertThat(sha256(file)).isEqualTo(before);
    }

    @Test
    void open_whereAParentIsARegularFile_isNotWritable() throws Exception {
        // Works as root too: no permission bit is involved, the path cannot exist.
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");

        assertThatThrownBy(() -> SqliteDatabases.open(file.resolve("vault"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not writable")
                .extracting("code").isEqualTo(ErrorCode.STORAGE_NOT_WRITABLE);
    }

    @Test
    void open_whereTheVaultDirectoryIsAFile_isNotWritable() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");

        assertThatThrownBy(() -> SqliteDatabases.open(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a directory")
                .extracting("code").isEqualTo(ErrorCode.STORAGE_NOT_WRITABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/proc/self", "/sys/kernel"})
    void open_anExistingDirectoryNobodyCanWriteIn_isNotWritable_evenForRoot(String path) {
        // Kernel filesystems refuse new files to every user. For root, access(2) still says /sys/kernel
        // is writable, so only the probe file catches it: this works where chmod tricks do not.
        Path dir = Path.of(path);
        assumeTrue(Files.isDirectory(dir), "needs Linux " + path);

        assertThatThrownBy(() -> SqliteDatabases.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the vault directory " + path + " is not writable")
                .extracting("code").isEqualTo(ErrorCode.STORAGE_NOT_WRITABLE);
    }

    @Test
    void open_aFileThatIsNotADatabase_isAnIntegrityFailure_withASafeMessage() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("v"));
        Files.writeString(dir.resolve("vault.db"), "this is not a database, it is a secret diary entry");

        // exit 5 like any damaged vault (found by VaultDbFuzzTest: it was exit 1, an internal error)
        assertThatThrownBy(() -> SqliteDatabases.open(dir)).isInstanceOf(org.memoryvault.domain.error.IntegrityException.class)
                .hasMessageContaining("not a SQLite database")
                .hasMessageNotContaining("diary")
                .extracting("code").isEqualTo(ErrorCode.INTEGRITY_TAMPERED);
    }

    @Test
    void shred_leavesNoCopyOfTheCiphertext_inTheDatabaseOrItsWal() throws Exception {
        Path dir = tmp.resolve("v");
        Fixtures f = new Fixtures(9);
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            Memory m = f.memory("to shred");
            memories.insert(m);
            byte[] ciphertext = m.sealed().orElseThrow().ciphertext();
            assertThat(contains(dir, ciphertext)).as("sanity: the ciphertext is on disk before the shred").isTrue();
            // Reads first: their cached statements must not pin a snapshot that blocks the checkpoint.
            assertThat(memories.find(m.id())).isPresent();
            assertThat(memories.search(SearchQuery.parse("shred", true, 5))).hasSize(1);
            assertThat(memories.list(new MemoryFilter(Optional.empty(), true, 5))).hasSize(1);

            memories.tombstone(m.id(), new Tombstone(Fixtures.T0, "leaked", "owner", true));

            assertThat(contains(dir, ciphertext)).as("ciphertext bytes after the shred").isFalse();
        }
    }

    @Test
    void cachedStatements_doNotHoldAReadSnapshotOpen() throws Exception {
        Path dir = tmp.resolve("v");
        Fixtures f = new Fixtures(10);
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            Memory m = f.memory("snapshot");
            memories.insert(m);
            for (int i = 0; i < 3; i++) {
                memories.find(m.id());
                memories.search(SearchQuery.parse("snapshot", true, 5));
                memories.list(new MemoryFilter(Optional.empty(), true, 5));
                memories.count();
                new SqliteVaultStateRepository(db).lockdown();
                new SqliteProfileRepository(db).list();
            }
            // A full checkpoint from another connection succeeds only if no connection of ours is
            // still inside a read transaction.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
                 Statement s = other.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("busy").isZero();
            }
        }
    }

    private static boolean contains(Path dir, byte[] needle) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                byte[] hay = Files.readAllBytes(p);
                outer:
                for (int i = 0; i + needle.length <= hay.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (hay[i + j] != needle[j]) continue outer;
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vault.db", "vault.db-wal", "vault.db-shm", "vault.db-journal"})
    void aSymbolicLinkInPlaceOfTheDatabaseOrACompanion_isRefused_andItsTargetIsUntouched(String name) throws Exception {
        Path dir = tmp.resolve("vault");
        SqliteDatabases.open(dir).close();
        Path target = tmp.resolve("someone-elses-file");
        Files.writeString(target, "keep me");
        Path link = dir.resolve(name);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);

        assertThatThrownBy(() -> SqliteDatabases.open(dir).close()).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_NOT_WRITABLE));
        assertThatThrownBy(() -> SqliteDatabases.openExisting(dir).close()).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_NOT_WRITABLE));
        assertThat(target).hasContent("keep me");
    }
}
