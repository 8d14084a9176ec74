package org.memoryvault.storage.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

class MigrationsTest {
    private static final String TEST = "/org/memoryvault/storage/sqlite/testmigrations/";
    @TempDir Path dir;

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
    }

    private static List<Integer> ints(Connection c, String sql) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    @Test
    void production_index_isContiguousFromOne() {
        Migrations m = Migrations.load();

        assertThat(m.all()).extracting(Migrations.Migration::version).startsWith(1);
        for (int i = 0; i < m.all().size(); i++) assertThat(m.all().get(i).version()).isEqualTo(i + 1);
        assertThat(m.all().get(0).fileName()).isEqualTo("V1__core.sql");
    }

    @Test
    void migrate_appliesEveryFileInOrder_multiStatementAndTriggers_andSetsUserVersion() throws Exception {
        Migrations m = Migrations.load(TEST + "good/");
        try (Connection c = connect()) {
            assertThat(m.migrate(c)).isZero();

            assertThat(Migrations.userVersion(c)).isEqualTo(2);
            assertThat(ints(c, "SELECT x FROM one ORDER BY x")).containsExactly(1, 2);
            assertThat(ints(c, "SELECT y FROM two ORDER BY y")).containsExactly(20, 200);
        }
    }

    @Test
    void migrate_resumesFromTheStoredVersion_andIsIdempotent() throws Exception {
        try (Connection c = connect()) {
            Migrations.load(TEST + "failing/").migrate(c);
        } catch (SQLException expected) {
            // V2 fails; V1 alone was not committed either (one transaction).
        }
        try (Connection c = connect()) {
            assertThat(Migrations.userVersion(c)).isZero();
            Migrations good = Migrations.load(TEST + "good/");
            good.migrate(c);
            assertThat(good.migrate(c)).isEqualTo(2);
            assertThat(ints(c, "SELECT x FROM one ORDER BY x")).containsExactly(1, 2);
        }
    }

    @Test
    void migrate_aFailingMigration_leavesTheDatabaseAsItWas() throws Exception {
        try (Connection c = connect()) {
            assertThatThrownBy(() -> Migrations.load(TEST + "failing/").migrate(c)).isInstanceOf(SQLException.class);

            assertThat(Migrations.userVersion(c)).isZero();
            assertThat(ints(c, "SELECT count(*) FROM sqlite_schema")).containsExactly(0);
        }
    }

    @Test
    void migrate_newerDatabase_isRefused() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 3");

            assertThatThrownBy(() -> Migrations.load(TEST + "good/").migrate(c)).isInstanceOf(InvalidInputException.class)
                    .hasMessage("database schema version 3 is newer than this vault (2); upgrade memory-vault")
                    .extracting("code").isEqualTo(ErrorCode.STORAGE_SCHEMA_NEWER);
        }
    }

    @Test
    void load_aGapInVersions_orABadName_orAMissingIndex_isInternal() {
        assertThatThrownBy(() -> Migrations.load(TEST + "gap/")).isInstanceOf(InternalVaultException.class)
                .hasMessageContaining("V3__third.sql has version 3 but 2 was expected");
        assertThatThrownBy(() -> Migrations.load(TEST + "badname/")).isInstanceOf(InternalVaultException.class)
                .hasMessageContaining("is not named V<n>__<name>.sql");
        assertThatThrownBy(() -> Migrations.load(TEST + "nowhere/")).isInstanceOf(InternalVaultException.class)
                .hasMessageContaining("missing");
    }
}
