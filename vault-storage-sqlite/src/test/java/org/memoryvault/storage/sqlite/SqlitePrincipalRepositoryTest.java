package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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

/** Agent principals in a real SQLite file: round trips, lookup by credential, rotation, rate windows, tampered rows. */
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

    @Test
    void insertThenFind_byNameAndByCredential_returnsEqualFields() {
        PrincipalRecord p = record("planner", 'a', Optional.of(RateLimit.parse("60/m")));
        principals.insert(p);

        assertThat(principals.find("planner")).get().usingRecursiveComparison().isEqualTo(p);
        assertThat(principals.findByCredential("a".repeat(64))).get().usingRecursiveComparison().isEqualTo(p);
        assertThat(principals.findByCredential("b".repeat(64))).isEmpty();
        assertThat(principals.list()).extracting(PrincipalRecord::name).containsExactly("planner");
    }

    @Test
    void replace_changesTheCredential_theOldOneFindsNothing() {
        principals.insert(record("planner", 'a', Optional.empty()));
        principals.replace(record("planner", 'c', Optional.empty()));

        assertThat(principals.findByCredential("a".repeat(64))).isEmpty();
        assertThat(principals.findByCredential("c".repeat(64))).isPresent();
        assertThatThrownBy(() -> principals.replace(record("nobody", 'd', Optional.empty())))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_PRINCIPAL));
    }

    @Test
    void admit_countsWithinAFixedWindow_andOpensANewOneAfterIt() {
        RateLimit twoPerMinute = RateLimit.parse("2/m");
        principals.insert(record("planner", 'a', Optional.of(twoPerMinute)));
        Instant t = Instant.parse("2025-03-01T12:00:00Z");

        assertThat(principals.admit("planner", t, twoPerMinute)).isTrue();
        assertThat(principals.admit("planner", t.plusSeconds(10), twoPerMinute)).isTrue();
        assertThat(principals.admit("planner", t.plusSeconds(20), twoPerMinute)).isFalse();
        assertThat(principals.admit("planner", t.plus(Duration.ofMinutes(1)), twoPerMinute)).isTrue();
    }

    @Test
    void remove_deletes_andReportsWhetherThereWasOne() {
        principals.insert(record("planner", 'a', Optional.empty()));
        assertThat(principals.remove("planner")).isTrue();
        assertThat(principals.remove("planner")).isFalse();
        assertThat(principals.find("planner")).isEmpty();
    }

    @Test
    void aRowEditedOutsideTheVault_isIntegrityTampered() {
        principals.insert(record("planner", 'a', Optional.empty()));
        db.write("edit", h -> h.execute("UPDATE principals SET credential_id = 'not hex' || substr(credential_id, 8)"));

        assertThatThrownBy(() -> principals.find("planner"))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }
}
