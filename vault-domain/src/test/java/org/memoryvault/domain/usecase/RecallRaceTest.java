package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.ScriptedApprovalGate;
import org.memoryvault.domain.testing.FixedPresenceVerifier;

/**
 * What happens between the gates and the grant: another process tombstones or recalls the memory
 * while this recall asks the boundary. The grant transaction re-checks, so nothing is delivered.
 */
class RecallRaceTest {
    private InMemoryVault vault;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
    }

    /** A recall whose boundary check lets {@code meanwhile} happen before it permits. */
    private RecallMemory recallWhile(Runnable meanwhile) {
        BoundaryGuard guard = level -> {
            meanwhile.run();
            return BoundaryGuard.Decision.permit("test");
        };
        return new RecallMemory(vault.memories(), vault.state(), new RecallMemory.Gates(guard, ScriptedApprovalGate.denying(),
                FixedPresenceVerifier.absent("none")), vault.keys(), vault.ownerProof(), vault.settings(), vault.sealer(), vault.audit(),
                vault.tx(), vault.clock());
    }

    @Test
    void aTombstoneBetweenTheGatesAndTheGrant_refuses_andDeliversNothing() {
        MemoryId id = vault.store("going away", Classification.WORKING);
        RecallMemory recall = recallWhile(() -> vault.memories().tombstone(id,
                new Tombstone(vault.clock().instant(), "withdrawn", "owner", false)));

        assertThatThrownBy(() -> recall.execute(new RecallMemory.Request(id, vault.requester(InMemoryVault.OWNER), "race",
                Optional.empty())))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOMBSTONED));
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).isEmpty();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("code", ErrorCode.ACCESS_TOMBSTONED.name());
    }

    @Test
    void anotherRecallBetweenTheGatesAndTheGrant_ofACooldownMemory_refuses() {
        MemoryId id = vault.store("once an hour", Classification.WORKING, new AccessPolicy(new Cooldown(Duration.ofHours(1))),
                Metadata.EMPTY);
        RecallMemory recall = recallWhile(() -> vault.memories().recordRecall(id, vault.clock().instant(), "other", "first"));

        assertThatThrownBy(() -> recall.execute(new RecallMemory.Request(id, vault.requester(InMemoryVault.OWNER), "race",
                Optional.empty())))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_COOLDOWN));
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).isEmpty();
    }

    @Test
    void withoutARace_theSameRecallIsGranted() {
        MemoryId id = vault.store("stays", Classification.WORKING);
        try (Plaintext p = recallWhile(() -> { }).execute(new RecallMemory.Request(id, vault.requester(InMemoryVault.OWNER), "fine",
                Optional.empty())).plaintext()) {
            assertThat(p.length()).isEqualTo(5);
        }
    }
}
