package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.MemoryId;

/**
 * A release withdrawn by a tombstone leaves no copy on disk: not in vault.db (secure_delete) and
 * not in the WAL's old frames, even while another process keeps a connection open (so the WAL
 * is not removed when the vault closes).
 */
class WithdrawnReleasesTest {
    @TempDir Path dir;

    @Test
    void withdrawnReleaseBytes_areInNeitherTheDatabaseNorItsWal() throws Exception {
        byte[] release = new byte[80];
        Arrays.fill(release, (byte) 0x5a);
        MemoryId memory = MemoryId.parse("0f8e3c52-9d1b-4f7a-a6e2-3b5c7d9e1f20");
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        try (SqliteDatabase db = SqliteDatabases.open(dir);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + db.file())) {   // another process's idle connection
            try (var s = other.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM approvals")) {
                rs.next();                                       // it has read the file, and holds no transaction now
            }
            SqliteApprovalRepository approvals = new SqliteApprovalRepository(db);
            approvals.insert(new Approval("0123456789abcdef0123456789abcdef", memory, "agent", "why", t0, t0.plus(Duration.ofMinutes(15)),
                    Approval.Status.APPROVED, Optional.of("owner"), Optional.of(t0), Optional.empty()).withRelease(release));
            assertThat(onDisk(db.file(), release)).as("the release is on disk before").isTrue();

            int withdrawn = db.inTransaction(() -> approvals.withdrawReleases(memory));

            assertThat(withdrawn).isEqualTo(1);
            assertThat(onDisk(db.file(), release)).as("no copy left in vault.db or vault.db-wal").isFalse();
        }
    }

    private static boolean onDisk(Path dbFile, byte[] needle) throws Exception {
        for (Path f : new Path[] {dbFile, Path.of(dbFile + "-wal")}) {
            if (Files.exists(f) && indexOf(Files.readAllBytes(f), needle) >= 0) return true;
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
