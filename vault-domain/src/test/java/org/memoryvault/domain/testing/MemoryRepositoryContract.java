package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memoryvault.domain.testing.DomainAssertions.assertSameMemory;
import static org.memoryvault.domain.testing.MemoryTestData.aMemory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;

/**
 * The contract of {@link MemoryRepository}. Subclass it with a factory for a fresh, empty store:
 * the in-memory fake and every real adapter run the same tests, so the fake cannot drift.
 * Memories use profiles {@code default} and {@code other}, which are created first (stores may
 * enforce the reference). Search tests only use words from metadata values; whether JSON keys are
 * indexed is left to the adapter, as is the order of equally good hits.
 */
public abstract class MemoryRepositoryContract {
    protected static final ProfileId OTHER_PROFILE = ProfileId.of("other");
    private static final Instant T0 = MemoryTestData.DEFAULT_CREATED_AT;

    protected StorageFixture fixture;
    protected MemoryRepository repo;

    /** A fresh, empty store. */
    protected abstract StorageFixture newFixture();

    @BeforeEach
    void setUpStore() {
        fixture = newFixture();
        repo = fixture.memories();
        fixture.profiles().create(ProfileTestData.aProfile().withId(MemoryTestData.DEFAULT_PROFILE).build());
        fixture.profiles().create(ProfileTestData.aProfile().withId(OTHER_PROFILE).build());
    }

    @AfterEach
    void closeStore() throws Exception { fixture.close(); }

    private static MemoryFilter all() { return new MemoryFilter(Optional.empty(), false, 1000); }

    private static SearchQuery query(String text) { return SearchQuery.parse(text, false, 100); }

    private List<MemoryId> ids(List<Memory> memories) { return memories.stream().map(Memory::id).toList(); }

    private List<MemoryId> hitIds(SearchQuery q) { return repo.search(q).stream().map(MemoryRepository.SearchHit::id).toList(); }

    @Test
    void insert_thenFind_returnsEveryField() {
        Memory m = aMemory().withClassification(Classification.SEALED).withProfile(OTHER_PROFILE).withKeyVersion(3)
                .withCreatedAt(Instant.parse("2024-02-29T23:59:59.123Z")).withCreatedBy("agent:käthe/ø")
                .withPolicy(new AccessPolicy(new Cooldown(Duration.ofSeconds(90))))
                .withMetadata("{\"topic\":\"ünïcode ✓\",\"n\":42,\"nested\":{\"a\":[1,2]}}")
                .withIntentRefs("intent:b", "intent:a").withCommitment(new ContentCommitment("0123456789abcdef".repeat(4)))
                .withSealed(MemoryTestData.dummySealed(333)).build();

        repo.insert(m);

        assertSameMemory(repo.find(m.id()).orElseThrow(), m);
    }

    @Test
    void insert_everyClassification_roundTrips() {
        for (Classification c : Classification.values()) {
            Memory m = aMemory().withClassification(c).withCooldown(Duration.ZERO).build();
            repo.insert(m);
            assertSameMemory(repo.find(m.id()).orElseThrow(), m);
        }
    }

    @Test
    void find_unknownId_isEmpty() {
        repo.insert(aMemory().build());

        assertThat(repo.find(MemoryTestData.aMemoryId())).isEmpty();
    }

    @Test
    void insert_duplicateId_failsAndKeepsTheOriginal() {
        Memory original = aMemory().withMetadata("{\"v\":\"first\"}").build();
        repo.insert(original);
        Memory clash = aMemory().withId(original.id()).withMetadata("{\"v\":\"second\"}").build();

        assertThatThrownBy(() -> repo.insert(clash)).isInstanceOf(VaultException.class);
        assertSameMemory(repo.find(original.id()).orElseThrow(), original);
    }

    @Test
    void count_countsEveryMemoryIncludingTombstoned() {
        assertThat(repo.count()).isZero();
        Memory a = aMemory().build();
        repo.insert(a);
        repo.insert(aMemory().build());
        repo.tombstone(a.id(), new Tombstone(T0, "gone", "owner", false));

        assertThat(repo.count()).isEqualTo(2);
    }

    @Test
    void list_isNewestFirst() {
        Memory old = aMemory().createdMinutesAgo(30).build();
        Memory newest = aMemory().createdMinutesAgo(1).build();
        Memory middle = aMemory().createdMinutesAgo(10).build();
        repo.insert(old);
        repo.insert(newest);
        repo.insert(middle);

        assertThat(ids(repo.list(all()))).containsExactly(newest.id(), middle.id(), old.id());
    }

    @Test
    void list_byClassification_returnsOnlyThatLevel() {
        Memory sealed = aMemory().withClassification(Classification.SEALED).createdMinutesAgo(3).build();
        Memory working = aMemory().withClassification(Classification.WORKING).createdMinutesAgo(2).build();
        Memory sealed2 = aMemory().withClassification(Classification.SEALED).createdMinutesAgo(1).build();
        repo.insert(sealed);
        repo.insert(working);
        repo.insert(sealed2);

        assertThat(ids(repo.list(new MemoryFilter(Optional.of(Classification.SEALED), false, 100))))
                .containsExactly(sealed2.id(), sealed.id());
        assertThat(ids(repo.list(new MemoryFilter(Optional.of(Classification.BLACK), false, 100)))).isEmpty();
    }

    @Test
    void list_excludesTombstonedByDefault_andIncludesThemWhenAsked() {
        Memory live = aMemory().createdMinutesAgo(2).build();
        Memory dead = aMemory().createdMinutesAgo(1).build();
        repo.insert(live);
        repo.insert(dead);
        repo.tombstone(dead.id(), new Tombstone(T0, "obsolete", "owner", false));

        assertThat(ids(repo.list(all()))).containsExactly(live.id());
        List<Memory> withDead = repo.list(new MemoryFilter(Optional.empty(), true, 100));
        assertThat(ids(withDead)).containsExactly(dead.id(), live.id());
        assertThat(withDead.get(0).isTombstoned()).isTrue();
    }

    @Test
    void list_respectsTheLimit_keepingTheNewest() {
        for (int i = 10; i >= 1; i--) repo.insert(aMemory().createdMinutesAgo(i).build());
        Memory newest = aMemory().withCreatedAt(T0).build();
        repo.insert(newest);

        List<Memory> three = repo.list(new MemoryFilter(Optional.empty(), false, 3));

        assertThat(three).hasSize(3);
        assertThat(three.get(0).id()).isEqualTo(newest.id());
        assertThat(three.get(1).createdAt()).isEqualTo(T0.minus(Duration.ofMinutes(1)));
    }

    @Test
    void search_allTermsMustMatch() {
        Memory both = aMemory().withMetadata("{\"note\":\"blue garden fence\"}").build();
        Memory one = aMemory().withMetadata("{\"note\":\"blue sky\"}").build();
        repo.insert(both);
        repo.insert(one);

        assertThat(hitIds(query("garden blue"))).containsExactly(both.id());
        assertThat(hitIds(query("blue"))).containsExactlyInAnyOrder(both.id(), one.id());
        assertThat(hitIds(query("blue ocean"))).isEmpty();
    }

    @Test
    void search_termMatchesAsAWordPrefix_caseInsensitively() {
        Memory m = aMemory().withMetadata("{\"note\":\"Tomatoes Need Watering\"}").build();
        repo.insert(m);

        assertThat(hitIds(query("tomat"))).containsExactly(m.id());
        assertThat(hitIds(query("WATER"))).containsExactly(m.id());
        assertThat(hitIds(query("atoes"))).as("a term matches the start of a word, not its middle").isEmpty();
    }

    @Test
    void search_queryOperatorsInUserText_areInertWords() {
        Memory m = aMemory().withMetadata("{\"note\":\"or and not near star column\"}").build();
        repo.insert(m);
        repo.insert(aMemory().withMetadata("{\"note\":\"unrelated\"}").build());

        assertThat(hitIds(query("OR AND NOT NEAR"))).containsExactly(m.id());
        assertThat(hitIds(query("\"star\" * col: (near)"))).containsExactly(m.id());
        assertThat(hitIds(query("unrelated OR star"))).as("OR is a word, not an operator").isEmpty();
    }

    @Test
    void search_justifications_matchOnlyWhenAsked() {
        Memory m = aMemory().withMetadata("{\"note\":\"plain\"}").build();
        repo.insert(m);
        repo.recordRecall(m.id(), T0.plusSeconds(5), "agent-b", "quarterly compliance review");

        assertThat(hitIds(query("quarterly"))).isEmpty();
        assertThat(hitIds(SearchQuery.parse("quarterly compl", true, 10))).containsExactly(m.id());
    }

    @Test
    void search_excludesTombstoned_inMetadataAndJustifications() {
        Memory live = aMemory().withMetadata("{\"note\":\"harbour map\"}").build();
        Memory dead = aMemory().withMetadata("{\"note\":\"harbour keys\"}").build();
        repo.insert(live);
        repo.insert(dead);
        repo.recordRecall(dead.id(), T0.plusSeconds(1), "agent-b", "harbour inspection");
        repo.tombstone(dead.id(), new Tombstone(T0.plusSeconds(2), "lost", "owner", false));

        assertThat(hitIds(query("harbour"))).containsExactly(live.id());
        assertThat(hitIds(SearchQuery.parse("inspection", true, 10))).isEmpty();
    }

    @Test
    void search_respectsTheLimit() {
        for (int i = 0; i < 5; i++) repo.insert(aMemory().withMetadata("{\"note\":\"lantern " + i + "\"}").createdMinutesAgo(i).build());

        assertThat(repo.search(SearchQuery.parse("lantern", false, 2))).hasSize(2);
        assertThat(repo.search(SearchQuery.parse("lantern", false, 10))).hasSize(5);
    }

    @Test
    void recordRecall_setsLastRecalledAt_andChangesNothingElse() {
        Memory m = aMemory().withClassification(Classification.PRIVATE).build();
        repo.insert(m);
        Instant first = T0.plusSeconds(30);
        Instant second = T0.plusSeconds(3600);

        repo.recordRecall(m.id(), first, "agent-b", "first look");
        assertSameMemory(repo.find(m.id()).orElseThrow(), m.withLastRecall(first));

        repo.recordRecall(m.id(), second, "agent-c", "second look");
        assertThat(repo.find(m.id()).orElseThrow().lastRecalledAt()).contains(second);
    }

    /** Found by the concurrency bench: two callers of one process, the later clock reading committed first, no cooldown. */
    @Test
    void recordRecall_withoutACooldown_takesARecallStampedBeforeTheLast_andTheLastNeverGoesBack() {
        Memory m = aMemory().build();
        repo.insert(m);
        assertThat(repo.recordRecall(m.id(), T0.plusSeconds(20), "agent-b", "committed first")).isTrue();
        assertThat(repo.recordRecall(m.id(), T0.plusSeconds(19), "agent-c", "read the clock first")).isTrue();
        assertThat(repo.find(m.id()).orElseThrow().lastRecalledAt()).contains(T0.plusSeconds(20));
    }

    @Test
    void recordRecall_isRefused_onATombstonedMemory_orInsideItsCooldown_andRecordsNothing() {
        Memory dead = aMemory().build();
        repo.insert(dead);
        repo.tombstone(dead.id(), new Tombstone(T0.plusSeconds(1), "gone", "owner", false));
        assertThat(repo.recordRecall(dead.id(), T0.plusSeconds(2), "agent-b", "too late")).isFalse();
        assertThat(repo.find(dead.id()).orElseThrow().lastRecalledAt()).isEmpty();

        Memory slow = aMemory().withPolicy(new org.memoryvault.domain.model.AccessPolicy(
                new org.memoryvault.domain.model.Cooldown(java.time.Duration.ofHours(1)))).build();
        repo.insert(slow);
        assertThat(repo.recordRecall(slow.id(), T0.plusSeconds(10), "agent-b", "first")).isTrue();
        assertThat(repo.recordRecall(slow.id(), T0.plusSeconds(20), "agent-c", "second, too soon")).isFalse();
        assertThat(repo.find(slow.id()).orElseThrow().lastRecalledAt()).contains(T0.plusSeconds(10));
        assertThat(repo.recordRecall(slow.id(), T0.plusSeconds(10 + 3600), "agent-c", "an hour later")).isTrue();
    }

    @Test
    void tombstone_withoutShred_keepsCiphertextAndRecordsTheTombstone() {
        Memory m = aMemory().build();
        repo.insert(m);
        Tombstone t = new Tombstone(T0.plusSeconds(42), "no longer true", "owner", false);

        repo.tombstone(m.id(), t);

        Memory found = repo.find(m.id()).orElseThrow();
        assertThat(found.tombstone()).contains(t);
        assertSameMemory(found, m.withTombstone(t));
        assertThat(found.sealed()).isPresent();
    }

    @Test
    void tombstone_withShred_destroysCiphertextAndCommitment_butKeepsMetadata() {
        Memory m = aMemory().withClassification(Classification.VAULTED).build();
        repo.insert(m);
        Tombstone t = new Tombstone(T0.plusSeconds(42), "leaked", "owner", true);

        repo.tombstone(m.id(), t);

        Memory found = repo.find(m.id()).orElseThrow();
        assertThat(found.sealed()).isEmpty();
        assertThat(found.tombstone()).contains(t);
        assertThat(found.commitment()).as("a shred replaces the commitment: no guesses can be tested against it")
                .isEqualTo(org.memoryvault.domain.model.ContentCommitment.SHREDDED);
        assertThat(found.metadata()).isEqualTo(m.metadata());
    }

    @Test
    void tombstone_thenShred_destroysTheCiphertextOfAnAlreadyTombstonedMemory() {
        Memory m = aMemory().build();
        repo.insert(m);
        repo.tombstone(m.id(), new Tombstone(T0.plusSeconds(1), "first", "owner", false));

        Tombstone shred = new Tombstone(T0.plusSeconds(2), "shred it", "owner", true);
        repo.tombstone(m.id(), shred);

        Memory found = repo.find(m.id()).orElseThrow();
        assertThat(found.sealed()).isEmpty();
        assertThat(found.tombstone().orElseThrow().shredded()).isTrue();
    }

    @Test
    void purgeEphemeral_deletesOnlyLevelZeroCreatedBeforeTheCutoff() {
        Instant cutoff = T0.minus(Duration.ofHours(24));
        Memory oldEphemeral = aMemory().withClassification(Classification.EPHEMERAL).withCreatedAt(cutoff.minusMillis(1)).build();
        Memory atCutoff = aMemory().withClassification(Classification.EPHEMERAL).withCreatedAt(cutoff).build();
        Memory youngEphemeral = aMemory().withClassification(Classification.EPHEMERAL).withCreatedAt(T0).build();
        Memory oldWorking = aMemory().withClassification(Classification.WORKING).withCreatedAt(cutoff.minus(Duration.ofDays(9))).build();
        for (Memory m : List.of(oldEphemeral, atCutoff, youngEphemeral, oldWorking)) repo.insert(m);

        List<MemoryId> purged = repo.purgeEphemeral(cutoff);

        assertThat(purged).containsExactly(oldEphemeral.id());
        assertThat(repo.find(oldEphemeral.id())).isEmpty();
        assertThat(repo.find(atCutoff.id())).isPresent();
        assertThat(repo.find(youngEphemeral.id())).isPresent();
        assertThat(repo.find(oldWorking.id())).isPresent();
        assertThat(repo.count()).isEqualTo(3);
        assertThat(repo.purgeEphemeral(cutoff)).isEmpty();
    }

    @Test
    void purgeEphemeral_removesPurgedMemoriesFromSearch() {
        Memory m = aMemory().withClassification(Classification.EPHEMERAL).withMetadata("{\"note\":\"scratchpad\"}")
                .withCreatedAt(T0.minus(Duration.ofDays(2))).build();
        repo.insert(m);

        repo.purgeEphemeral(T0);

        assertThat(hitIds(query("scratchpad"))).isEmpty();
    }
}
