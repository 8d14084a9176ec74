package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;

/**
 * Fuzz harness for a whole vault.db handed to the vault (a copy, a restore, a hostile same-user
 * edit; docs/TESTING.md): a real vault made once, then per input one row's column set to a fuzzed
 * value or some bytes of the file overwritten, opened through the real adapters by `vault list`
 * and `vault verify --deep`. Contract: every run ends with one of the vault's exit codes for bad
 * input, not found, refused or integrity failure (2, 3, 4, 5) or success, never an internal error
 * (exit 1) or a stack trace.
 */
class VaultDbFuzzTest {
    private static final Path TEMPLATE = template();
    private static final List<String> TABLES = List.of("memories", "profiles", "key_slots", "vault_state", "audit_entries",
            "approvals", "principals", "owner_seals");
    private static final Set<Integer> ALLOWED = Set.of(0, 2, 3, 4, 5);

    private static Path template() {
        try {
            Path dir = ScratchDirs.create("vaultdb-fuzz").resolve("template");
            Launcher.initInProcess(dir, java.util.Optional.empty(), true);
            for (int level = 0; level <= 2; level++) ScratchDirs.run(dir, "store", "-c", Integer.toString(level), "--content", "level " + level,
                    "--metadata", "{\"n\":" + level + "}");
            ScratchDirs.run(dir, "tombstone", ScratchDirs.run(dir, "store", "--content", "gone").out().strip(), "--reason", "fuzz");
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void vaultDb(FuzzedDataProvider data) throws Exception {
        Path work = ScratchDirs.create("vaultdb-case");
        try {
            ScratchDirs.copy(TEMPLATE, work);
            Path db = work.resolve("vault.db");
            if (data.consumeBoolean()) editRow(db, data);
            else editBytes(db, data);
            for (String[] command : List.of(new String[] {"list", "--json"}, new String[] {"verify", "--deep", "--json"})) {
                ScratchDirs.Out o = ScratchDirs.run(work, command);
                assertThat(ALLOWED).as(String.join(" ", command) + " " + o).contains(o.exit());
                assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
            }
        } finally {
            ScratchDirs.delete(work);
        }
    }

    /** One column of one row of one table set to a fuzzed integer, text, blob or null. */
    private static void editRow(Path db, FuzzedDataProvider data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            String table = data.pickValue(TABLES);
            List<String> columns = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rs.next()) columns.add(rs.getString(2));
            }
            if (columns.isEmpty()) return;
            String column = data.pickValue(columns);
            try (PreparedStatement p = c.prepareStatement("UPDATE " + table + " SET \"" + column + "\" = ? WHERE rowid = "
                    + "(SELECT rowid FROM " + table + " LIMIT 1 OFFSET ?)")) {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> p.setLong(1, data.consumeLong());
                    case 1 -> p.setString(1, data.consumeString(200));
                    case 2 -> p.setBytes(1, data.consumeBytes(200));
                    default -> p.setNull(1, java.sql.Types.NULL);
                }
                p.setInt(2, data.consumeInt(0, 20));
                p.executeUpdate();
            } catch (java.sql.SQLException constraint) {
                // the schema refused the edit (a CHECK, NOT NULL or UNIQUE): the file stays as it was
            }
        }
    }

    /** A few bytes of the file overwritten at a fuzzed offset (a torn or tampered page). */
    private static void editBytes(Path db, FuzzedDataProvider data) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            long offset = data.consumeLong(0, Math.max(0, f.length() - 1));
            f.seek(offset);
            f.write(data.consumeBytes(data.consumeInt(1, 16)));
        }
    }

}
