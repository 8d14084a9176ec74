package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.MemoryTestData;

class TombstoneAndPurgeTest {
    private InMemoryVault vault;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
    }

    private long tombstone(MemoryId id, boolean shred) {
        return vault.tombstoneMemory().execute(new TombstoneMemory.Request(id, "no longer true", "owner", shred));
    }

    @Test
    void tombstone_thenRecall_isAccessTombstoned() {
        MemoryId id = vault.store("x", Classification.WORKING);

        long index = tombstone(id, false);

        assertThat(vault.audit().events().get((int) index).type()).isEqualTo(AuditEvent.TOMBSTONE);
        assertThat(vault.audit().events().get((int) index).fields()).containsEntry("shredded", false)
                .containsEntry("reason", "no longer true");
        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOMBSTONED));
        assertThat(vault.sealer().openCalls()).isZero();
        assertThat(vault.memories().find(id).orElseThrow().sealed()).isPresent();
    }

    @Test
    void tombstone_withShred_destroysTheCiphertextAndCommitment_andRecallStaysTombstoned() {
        MemoryId id = vault.store("x", Classification.SEALED);
        Memory before = vault.memories().find(id).orElseThrow();

        tombstone(id, true);

        Memory after = vault.memories().find(id).orElseThrow();
        assertThat(after.sealed()).isEmpty();
        assertThat(after.commitment()).isNotEqualTo(before.commitment()).isEqualTo(ContentCommitment.SHREDDED);
        assertThat(after.tombstone().orElseThrow().shredded()).isTrue();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("shredded", true);
        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOMBSTONED));
    }

    @Test
    void tombstone_thenShred_isAllowed_butTombstoningTwiceIsInputState() {
        MemoryId id = vault.store("x", Classification.WORKING);
        tombstone(id, false);

        assertThatThrownBy(() -> tombstone(id, false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));
        tombstone(id, true);
        assertThat(vault.memories().find(id).orElseThrow().sealed()).isEmpty();
        assertThatThrownBy(() -> tombstone(id, true))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));
    }

    @Test
    void tombstone_unknownMemory_isNotFoundMemory_andAuditsNothing() {
        int events = vault.audit().size();

        assertThatThrownBy(() -> tombstone(MemoryTestData.aMemoryId(), false))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_MEMORY));
        assertThat(vault.audit().size()).isEqualTo(events);
    }

    @Test
    void tombstone_isRefusedDuringLockdown_andChangesNothing() {
        MemoryId id = vault.store("x", Classification.WORKING);
        vault.enterLockdown().execute(new EnterLockdown.Request("incident", "owner"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tombstone(id, true))
                .isInstanceOfSatisfying(org.memoryvault.domain.error.AccessRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(org.memoryvault.domain.error.ErrorCode.ACCESS_LOCKDOWN));

        assertThat(vault.memories().find(id).orElseThrow().isTombstoned()).isFalse();
    }

    @Test
    void tombstone_whoseAuditFails_leavesTheMemoryAlive() {
        MemoryId id = vault.store("x", Classification.WORKING);
        vault.audit().failNextAppend(new IllegalStateException("log unavailable"));

        assertThatThrownBy(() -> tombstone(id, true)).isInstanceOf(IllegalStateException.class);

        Memory m = vault.memories().find(id).orElseThrow();
        assertThat(m.isTombstoned()).isFalse();
        assertThat(m.sealed()).isPresent();
    }

    @Test
    void purgeEphemeral_deletesOnlyExpiredLevelZero_andAuditsEach() {
        MemoryId oldEphemeral = vault.store("scratch 1", Classification.EPHEMERAL);
        MemoryId oldWorking = vault.store("keep", Classification.WORKING);
        vault.clock().advance(Duration.ofHours(23));
        MemoryId youngEphemeral = vault.store("scratch 2", Classification.EPHEMERAL);
        vault.clock().advance(Duration.ofHours(2));

        List<MemoryId> purged = vault.purgeEphemeral().execute(new PurgeEphemeral.Request(vault.settings().ephemeralTtl()));

        assertThat(purged).containsExactly(oldEphemeral);
        assertThat(vault.memories().find(oldEphemeral)).isEmpty();
        assertThat(vault.memories().find(oldWorking)).isPresent();
        assertThat(vault.memories().find(youngEphemeral)).isPresent();
        assertThat(vault.audit().eventsOfType(AuditEvent.PURGE)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("memory_id", oldEphemeral.toString()).containsEntry("max_age_seconds", 86_400L));
        assertThat(vault.purgeEphemeral().execute(new PurgeEphemeral.Request(vault.settings().ephemeralTtl()))).isEmpty();
    }

    @Test
    void tombstone_withoutShred_needsTheOwnersSecretNow_notACachedKey() {
        MemoryId id = vault.store("x", Classification.WORKING);
        vault.secrets().usePassphrase("not the owner's passphrase");

        assertThatThrownBy(() -> tombstone(id, false)).isInstanceOfSatisfying(AccessRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
        assertThat(vault.memories().find(id).orElseThrow().isTombstoned()).isFalse();
        assertThat(vault.audit().eventsOfType(AuditEvent.TOMBSTONE)).isEmpty();

        vault.secrets().usePassphrase(InMemoryVault.PASSPHRASE);
        tombstone(id, false);
        assertThat(vault.memories().find(id).orElseThrow().isTombstoned()).isTrue();
    }

    @Test
    void purgeEphemeral_isRefusedDuringLockdown_andDeletesNothing() {
        MemoryId old = vault.store("scratch", Classification.EPHEMERAL);
        vault.clock().advance(Duration.ofHours(25));
        vault.enterLockdown().execute(new EnterLockdown.Request("incident", "owner"));

        assertThatThrownBy(() -> vault.purgeEphemeral().execute(new PurgeEphemeral.Request(vault.settings().ephemeralTtl())))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        assertThat(vault.memories().find(old)).isPresent();
        assertThat(vault.audit().eventsOfType(AuditEvent.PURGE)).isEmpty();
    }
}
