package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.RateLimit;

/** Agent principals in a real SQLite file, beyond the port's contract: rows edited outside the vault. */
class SqlitePrincipalRepositoryTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqlitePrincipalRepository principals;
    private final Fixtures f = new Fixtures(5);

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        new SqliteProfileRepository(db).create(f.profile(ProfileId.of("default")));
        principals = new SqlitePrincipalRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    private static PrincipalRecord record(String name, char id, Optional<RateLimit> rate) {
        byte[] box = new byte[32];
        byte[] wrapped = new byte[72];
        box[0] = (byte) id;
        wrapped[1] = (byte) id;
        return new PrincipalRecord(name, ProfileId.of("default"), Classification.WORKING, 1, String.valueOf(id).repeat(64),
                box, wrapped, new byte[32], rate, Instant.parse("2025-03-01T12:00:00.123Z"));
    }

    // Round trips, rotation, removal and rate windows: PrincipalRepositoryContract (SqlitePrincipalRepositoryContractTest).

    @Test
    void aRowEditedOutsideTheVault_isIntegrityTampered() {
        principals.insert(record("planner", 'a', Optional.empty()));
        db.write("edit", h -> h.execute("UPDATE principals SET credential_id = 'not hex' || substr(credential_id, 8)"));

        assertThatThrownBy(() -> principals.find("planner"))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }
}
