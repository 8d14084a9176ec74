package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository.SearchHit;

class SqliteSearchTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteMemoryRepository memories;
    private final Fixtures f = new Fixtures(7);

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        new SqliteProfileRepository(db).create(f.profile(Fixtures.PROFILE));
        memories = new SqliteMemoryRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    private Memory store(String metadataJson) {
        Memory m = f.memory(Classification.WORKING, Fixtures.T0, metadataJson);
        memories.insert(m);
        return m;
    }

    private List<SearchHit> search(String userText, boolean justifications) {
        return memories.search(SearchQuery.parse(userText, justifications, 50));
    }

    @Test
    void search_findsStringValuesAndKeys_atAnyDepth_byPrefix() {
        Memory rust = store("{\"topic\":\"Rust ownership\",\"tags\":[\"borrowing\",\"lifetimes\"]}");
        Memory deep = store("{\"project\":{\"name\":\"Kestrel\",\"phase\":3}}");
        store("{\"topic\":\"Gardening\"}");

        assertThat(search("rust", false)).extracting(SearchHit::id).containsExactly(rust.id());
        assertThat(search("OWNER", false)).extracting(SearchHit::id).containsExactly(rust.id());
        assertThat(search("lifetime", false)).extracting(SearchHit::id).containsExactly(rust.id());
        assertThat(search("kestrel", false)).extracting(SearchHit::id).containsExactly(deep.id());
        assertThat(search("project", false)).extracting(SearchHit::id).containsExactly(deep.id());
        assertThat(search("rust kestrel", false)).isEmpty();
        assertThat(search("3", false)).as("numbers are not indexed, only strings and keys").isEmpty();
    }

    @Test
    void search_hitSaysWhereItMatched_andGivesASnippet() {
        Memory m = store("{\"topic\":\"Rust ownership\"}");

        SearchHit hit = search("owner", false).get(0);

        assertThat(hit.id()).isEqualTo(m.id());
        assertThat(hit.matchedIn()).isEqualTo("metadata");
        assertThat(hit.snippet()).contains("[ownership]");
    }

    @Test
    void search_justifications_onlyWhenAsked() {
        Memory m = store("{\"topic\":\"tax\"}");
        memories.recordRecall(m.id(), Fixtures.T0, "agent-7", "preparing the quarterly filing");

        assertThat(search("quarterly", false)).isEmpty();
        List<SearchHit> hits = search("quarterly", true);
        assertThat(hits).extracting(SearchHit::id).containsExactly(m.id());
        assertThat(hits.get(0).matchedIn()).isEqualTo("justification");
        assertThat(hits.get(0).snippet()).contains("[quarterly]");
    }

    @Test
    void search_returnsOneHitPerMemory() {
        Memory m = store("{\"topic\":\"budget\"}");
        memories.recordRecall(m.id(), Fixtures.T0, "a", "budget review");
        memories.recordRecall(m.id(), Fixtures.T0, "a", "budget again");

        assertThat(search("budget", true)).extracting(SearchHit::id).containsExactly(m.id());
    }

    @Test
    void search_ranksBetterMatchesFirst_andAppliesTheLimit() {
        Memory weak = store("{\"text\":\"apple and many other words that dilute the single mention of the fruit here\"}");
        Memory strong = store("{\"text\":\"apple apple apple\"}");

        assertThat(search("apple", false)).extracting(SearchHit::id).containsExactly(strong.id(), weak.id());
        assertThat(memories.search(SearchQuery.parse("apple", false, 1))).extracting(SearchHit::id)
                .containsExactly(strong.id());
    }

    @Test
    void search_excludesTombstonedMemories_inMetadataAndJustifications() {
        Memory m = store("{\"topic\":\"secret plan\"}");
        memories.recordRecall(m.id(), Fixtures.T0, "a", "secret plan review");
        memories.tombstone(m.id(), new Tombstone(Fixtures.T0, "r", "o", false));

        assertThat(search("secret", true)).isEmpty();
    }

    @Test
    void search_queryFullOfOperators_doesNotThrow_andMatchesOnlyItsWords() {
        store("{\"topic\":\"unrelated\"}");
        Memory all = store("{\"note\":\"near or col x and\"}");
        String hostile = "\"NEAR( ) OR * : ^ -col:x AND \"\"\"";

        assertThatCode(() -> search(hostile, true)).doesNotThrowAnyException();
        assertThat(search(hostile, true)).extracting(SearchHit::id).containsExactly(all.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NEAR(a b)", "a OR b", "a NOT b", "col:a", "^a", "{note}: a", "a*", "\"a", "a + b", "(a",
            "body:x", "memory_search", "'; DROP TABLE memories; --"})
    void search_operatorSyntax_isInert(String text) {
        store("{\"note\":\"a b x\"}");

        assertThatCode(() -> search(text, true)).doesNotThrowAnyException();
        assertThat(memories.count()).isEqualTo(1);
    }

    @Test
    void index_matchesTheRows_afterBatchedStoresRecallsTombstonesShredsAndPurges() {
        SqliteTransactions tx = new SqliteTransactions(db);
        List<Memory> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(f.memory(i % 4 == 0 ? Classification.EPHEMERAL : Classification.WORKING, Fixtures.T0,
                    "{\"topic\":\"batch" + i + "z\",\"tags\":[\"common\"]}"));
        }
        tx.run(() -> batch.forEach(memories::insert));
        Memory single = store("{\"topic\":\"single\"}");
        memories.recordRecall(batch.get(1).id(), Fixtures.T0, "a", "why not");
        memories.tombstone(batch.get(2).id(), new Tombstone(Fixtures.T0, "r", "o", false));
        memories.tombstone(batch.get(3).id(), new Tombstone(Fixtures.T0, "r", "o", true));
        memories.purgeEphemeral(Fixtures.T0.plusSeconds(1));

        assertIndexesMatchTheirRows();
        assertThat(search("batch1z", false)).extracting(SearchHit::id).contains(batch.get(1).id());
        assertThat(search("batch4z", false)).as("purged (ephemeral)").isEmpty();
        assertThat(search("batch3z", false)).as("tombstoned").isEmpty();
        assertThat(search("single", false)).extracting(SearchHit::id).containsExactly(single.id());
        assertThat(search("common", false)).hasSize(40 - 10 - 2);
    }

    @Test
    void metadataChangedInPlace_isReindexed() {
        Memory m = store("{\"topic\":\"walrus\"}");
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE memories SET metadata = '{\"topic\":\"narwhal\"}' WHERE id = :id")
                .bind("id", m.id().toString()).execute());

        assertIndexesMatchTheirRows();
        assertThat(search("walrus", false)).isEmpty();
        assertThat(search("narwhal", false)).extracting(SearchHit::id).containsExactly(m.id());
    }

    @Test
    void integrityCheck_catchesARowWrittenWithoutItsIndexEntry() {
        Memory m = store("{\"topic\":\"indexed\"}");
        db.jdbi().useHandle(h -> h.execute("INSERT INTO memories (id, created_at, created_by, classification, profile_id, "
                + "key_version, metadata, commitment, search_text) SELECT '00000000-0000-4000-8000-000000000000', created_at, "
                + "created_by, classification, profile_id, key_version, metadata, commitment, 'unindexed words' FROM memories "
                + "WHERE id = ?", m.id().toString()));

        assertThatThrownBy(this::assertIndexesMatchTheirRows).hasMessageContaining("SQLITE_CORRUPT");
    }

    /** FTS5's own check: the index holds exactly the tokens of its external content rows. */
    private void assertIndexesMatchTheirRows() {
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO memory_search (memory_search, rank) VALUES ('integrity-check', 1)");
            h.execute("INSERT INTO recall_search (recall_search, rank) VALUES ('integrity-check', 1)");
        });
    }

    @Test
    void search_withNoTerms_findsNothing() {
        store("{\"topic\":\"anything\"}");

        assertThat(memories.search(new SearchQuery(List.of(), true, 10))).isEmpty();
    }
}
