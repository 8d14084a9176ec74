package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.MemoryFilter;

class SqliteMemoryRepositoryTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteMemoryRepository memories;
    private final Fixtures f = new Fixtures(42);

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
        memories = new SqliteMemoryRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void insertThenFind_returnsEveryField() {
        Memory m = f.memory("rust ownership");
        memories.insert(m);

        Memory found = memories.find(m.id()).orElseThrow();

        assertThat(found).usingRecursiveComparison().isEqualTo(m);
        assertThat(found.sealed().orElseThrow().ciphertext()).isEqualTo(m.sealed().orElseThrow().ciphertext());
        assertThat(found.sealed().orElseThrow().nonce()).isEqualTo(m.sealed().orElseThrow().nonce());
        assertThat(found.intentRefs()).containsExactly("intent:abc", "weird \"quoted\"\\ ref\n");
        assertThat(found.policy().cooldown().length()).isEqualTo(Duration.ofMinutes(5));
        assertThat(found.associatedData()).isEqualTo(m.associatedData());
    }

    @Test
    void recursiveComparison_seesADifferentCiphertextByte() {
        // Guards the assertion style above: a changed ciphertext byte must not compare equal.
        Memory m = f.memory("x");
        byte[] c = m.sealed().orElseThrow().ciphertext();
        c[0] ^= 1;
        Memory changed = new Memory(m.id(), m.createdAt(), m.createdBy(), m.classification(), m.profile(), m.keyVersion(),
                m.policy(), m.metadata(), m.intentRefs(), m.commitment(),
                Optional.of(new SealedContent(m.sealed().orElseThrow().nonce(), c)), m.tombstone(), m.lastRecalledAt());
        memories.insert(m);

        assertThat(memories.find(m.id()).orElseThrow()).usingRecursiveComparison().isNotEqualTo(changed);
    }

    @Test
    void insert_withEveryOptionalPresent_roundTrips() {
        Memory base = f.memory(Classification.BLACK, Fixtures.T0, "{\"a\":{\"b\":[1,\"two\",null]},\"c\":true}");
        Memory m = new Memory(base.id(), base.createdAt(), base.createdBy(), base.classification(), base.profile(), 1,
                new AccessPolicy(Cooldown.NONE), base.metadata(), List.of(), base.commitment(), base.sealed(),
                Optional.of(new Tombstone(Fixtures.T0.plusSeconds(60), "obsolete", "owner", false)),
                Optional.of(Fixtures.T0.plusSeconds(30)));
        memories.insert(m);

        assertThat(memories.find(m.id()).orElseThrow()).usingRecursiveComparison().isEqualTo(m);
    }

    @Test
    void find_unknownId_isEmpty() {
        assertThat(memories.find(f.id())).isEmpty();
    }

    @Test
    void insert_sameIdTwice_isInvalidInput_andKeepsTheFirst() {
        Memory m = f.memory("first");
        memories.insert(m);

        assertThatThrownBy(() -> memories.insert(m)).isInstanceOf(InvalidInputException.class)
                .extracting("code").isEqualTo(ErrorCode.INPUT_INVALID);
        assertThat(memories.count()).isEqualTo(1);
    }

    @Test
    void insert_unknownProfile_isNotFoundProfile() {
        Memory base = f.memory("x");
        Memory m = new Memory(base.id(), base.createdAt(), base.createdBy(), base.classification(), ProfileId.of("nobody"),
                1, base.policy(), base.metadata(), base.intentRefs(), base.commitment(), base.sealed(), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> memories.insert(m)).isInstanceOf(NotFoundException.class)
                .extracting("code").isEqualTo(ErrorCode.NOT_FOUND_PROFILE);
        assertThat(memories.count()).isZero();
    }

    @Test
    void insert_metadataThatIsNotJson_isInputMetadata() {
        Memory m = f.memory(Classification.WORKING, Fixtures.T0, "{not json}");

        assertThatThrownBy(() -> memories.insert(m)).isInstanceOf(InvalidInputException.class)
                .extracting("code").isEqualTo(ErrorCode.INPUT_METADATA);
    }

    @Test
    void insert_subSecondCooldown_isRefused() {
        Memory base = f.memory("x");
        Memory m = new Memory(base.id(), base.createdAt(), base.createdBy(), base.classification(), base.profile(), 1,
                new AccessPolicy(new Cooldown(Duration.ofMillis(1500))), base.metadata(), base.intentRefs(),
                base.commitment(), base.sealed(), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> memories.insert(m)).isInstanceOf(InvalidInputException.class)
                .extracting("code").isEqualTo(ErrorCode.INPUT_DURATION);
    }

    @Test
    void tombstone_withoutShred_keepsCiphertext() {
        Memory m = f.memory("x");
        memories.insert(m);
        Tombstone t = new Tombstone(Fixtures.T0.plusSeconds(5), "done with it", "owner", false);

        memories.tombstone(m.id(), t);

        Memory found = memories.find(m.id()).orElseThrow();
        assertThat(found.tombstone()).contains(t);
        assertThat(found.sealed()).isPresent();
        assertThat(found).usingRecursiveComparison().isEqualTo(m.withTombstone(t));
    }

    @Test
    void tombstone_withShred_leavesSealedEmpty_andReplacesTheCommitment() {
        Memory m = f.memory("x");
        memories.insert(m);
        Tombstone t = new Tombstone(Fixtures.T0.plusSeconds(5), "leaked", "owner", true);

        memories.tombstone(m.id(), t);

        Memory found = memories.find(m.id()).orElseThrow();
        assertThat(found.sealed()).isEmpty();
        assertThat(found.tombstone()).contains(t);
        assertThat(found.commitment()).isEqualTo(org.memoryvault.domain.model.ContentCommitment.SHREDDED);
        assertThat(found).usingRecursiveComparison().isEqualTo(m.withTombstone(t));
        assertThat((int) db.read("raw", h -> h.createQuery("SELECT count(*) FROM memories WHERE wrapped_key IS NULL AND nonce IS NULL "
                + "AND ciphertext IS NULL AND commitment = :zero").bind("zero", "0".repeat(64)).mapTo(Integer.class).one()))
                .as("content, content key and commitment are gone from the row").isEqualTo(1);
    }

    @Test
    void theWrappedContentKey_roundTrips() {
        Memory m = f.memory("x");
        memories.insert(m);
        assertThat(memories.find(m.id()).orElseThrow().sealed().orElseThrow().wrappedKey())
                .isEqualTo(m.sealed().orElseThrow().wrappedKey()).hasSize(72);
    }

    @Test
    void tombstone_shredAfterPlainTombstone_shreds_andShredIsNeverUndone() {
        Memory m = f.memory("x");
        memories.insert(m);
        memories.tombstone(m.id(), new Tombstone(Fixtures.T0, "first", "owner", false));
        memories.tombstone(m.id(), new Tombstone(Fixtures.T0.plusSeconds(1), "shred it", "owner", true));
        memories.tombstone(m.id(), new Tombstone(Fixtures.T0.plusSeconds(2), "again", "owner", false));

        Memory found = memories.find(m.id()).orElseThrow();
        assertThat(found.sealed()).isEmpty();
        assertThat(found.tombstone().orElseThrow().shredded()).isTrue();
    }

    @Test
    void tombstone_unknownId_isNotFoundMemory() {
        assertThatThrownBy(() -> memories.tombstone(f.id(), new Tombstone(Fixtures.T0, "r", "o", true)))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_MEMORY);
    }

    @Test
    void recordRecall_setsLastRecalledAt() {
        Memory m = f.memory("x");
        memories.insert(m);
        Instant at = Fixtures.T0.plusSeconds(100);

        memories.recordRecall(m.id(), at, "agent-7", "need it for the report");

        assertThat(memories.find(m.id()).orElseThrow().lastRecalledAt()).contains(at);
        assertThat(memories.find(m.id()).orElseThrow()).usingRecursiveComparison().isEqualTo(m.withLastRecall(at));
    }

    @Test
    void recordRecall_unknownId_isNotFound_andRecordsNothing() {
        assertThatThrownBy(() -> memories.recordRecall(f.id(), Fixtures.T0, "a", "b"))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_MEMORY);
        int recalls = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM recalls").mapTo(Integer.class).one());
        assertThat(recalls).isZero();
    }

    @Test
    void list_isNewestFirst_filtersByLevel_andHidesTombstonedUnlessAsked() {
        Memory old = f.memory(Classification.WORKING, Fixtures.T0, "{}");
        Memory mid = f.memory(Classification.SEALED, Fixtures.T0.plusSeconds(1), "{}");
        Memory recent = f.memory(Classification.WORKING, Fixtures.T0.plusSeconds(2), "{}");
        Memory gone = f.memory(Classification.WORKING, Fixtures.T0.plusSeconds(3), "{}");
        for (Memory m : List.of(old, mid, recent, gone)) memories.insert(m);
        memories.tombstone(gone.id(), new Tombstone(Fixtures.T0, "r", "o", false));

        assertThat(memories.list(new MemoryFilter(Optional.empty(), false, 100))).extracting(Memory::id)
                .containsExactly(recent.id(), mid.id(), old.id());
        assertThat(memories.list(new MemoryFilter(Optional.empty(), true, 100))).extracting(Memory::id)
                .containsExactly(gone.id(), recent.id(), mid.id(), old.id());
        assertThat(memories.list(new MemoryFilter(Optional.of(Classification.WORKING), false, 100))).extracting(Memory::id)
                .containsExactly(recent.id(), old.id());
        assertThat(memories.list(new MemoryFilter(Optional.of(Classification.WORKING), true, 2))).extracting(Memory::id)
                .containsExactly(gone.id(), recent.id());
        assertThat(memories.list(new MemoryFilter(Optional.of(Classification.BLACK), true, 100))).isEmpty();
    }

    @Test
    void purgeEphemeral_deletesOnlyLevelZeroBeforeTheCutoff_andTheirRecallsAndIndexRows() {
        Memory oldEphemeral = f.memory(Classification.EPHEMERAL, Fixtures.T0, "{\"topic\":\"purgeable\"}");
        Memory newEphemeral = f.memory(Classification.EPHEMERAL, Fixtures.T0.plusSeconds(10), "{\"topic\":\"purgeable\"}");
        Memory oldWorking = f.memory(Classification.WORKING, Fixtures.T0, "{\"topic\":\"purgeable\"}");
        for (Memory m : List.of(oldEphemeral, newEphemeral, oldWorking)) memories.insert(m);
        memories.recordRecall(oldEphemeral.id(), Fixtures.T0, "a", "purgeable justification");

        List<org.memoryvault.domain.model.MemoryId> purged = memories.purgeEphemeral(Fixtures.T0.plusSeconds(10));

        assertThat(purged).containsExactly(oldEphemeral.id());
        assertThat(memories.find(oldEphemeral.id())).isEmpty();
        assertThat(memories.find(newEphemeral.id())).isPresent();
        assertThat(memories.find(oldWorking.id())).isPresent();
        assertThat(memories.count()).isEqualTo(2);
        db.jdbi().useHandle(h -> {
            assertThat(h.createQuery("SELECT count(*) FROM recalls").mapTo(Integer.class).one()).isZero();
            assertThat(h.createQuery("SELECT count(*) FROM memory_search").mapTo(Integer.class).one()).isEqualTo(2);
            assertThat(h.createQuery("SELECT count(*) FROM recall_search WHERE recall_search MATCH 'purgeable'")
                    .mapTo(Integer.class).one()).isZero();
        });
    }

    @Test
    void purgeEphemeral_cutoffWithSubMillisecond_includesTheMillisecondBefore() {
        Memory m = f.memory(Classification.EPHEMERAL, Fixtures.T0, "{}");
        memories.insert(m);

        assertThat(memories.purgeEphemeral(Fixtures.T0)).isEmpty();
        assertThat(memories.purgeEphemeral(Fixtures.T0.plusNanos(1))).containsExactly(m.id());
    }

    @Test
    void count_countsTombstonedToo() {
        Memory a = f.memory("a");
        Memory b = f.memory("b");
        memories.insert(a);
        memories.insert(b);
        memories.tombstone(a.id(), new Tombstone(Fixtures.T0, "r", "o", true));

        assertThat(memories.count()).isEqualTo(2);
    }

    @Test
    void find_rowEditedToAnInvalidValue_isIntegrityTampered() {
        Memory m = f.memory("x");
        memories.insert(m);
        db.jdbi().useHandle(h -> h.execute("UPDATE memories SET intent_refs = '[1]' WHERE id = ?", m.id().toString()));

        assertThatThrownBy(() -> memories.find(m.id())).isInstanceOf(IntegrityException.class)
                .extracting("code").isEqualTo(ErrorCode.INTEGRITY_TAMPERED);
    }

    @Test
    void metadata_isStoredVerbatim() {
        String json = "{ \"b\" : 1, \"a\" : \"\\u00e9t\\u00e9\" }";
        Memory m = f.memory(Classification.PRIVATE, Fixtures.T0, json);
        memories.insert(m);

        assertThat(memories.find(m.id()).orElseThrow().metadata()).isEqualTo(new Metadata(json));
    }
}
