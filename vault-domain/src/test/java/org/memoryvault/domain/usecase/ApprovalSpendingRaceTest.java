package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.testing.InMemoryVault;

/**
 * One approval opens one recall, even when two recalls spend it at once: the second one's grant
 * transaction sees the approval used and refuses, after both passed the approval gate.
 */
class ApprovalSpendingRaceTest {
    private static final String AGENT = "planner";
    private static final String WHY = "the launch window";

    private InMemoryVault vault;
    private MemoryId id;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.principals().with(AGENT, Classification.VAULTED);
        id = vault.store("the codes", Classification.SEALED);
    }

    private RecallMemory.Request request(Optional<String> approval) {
        return new RecallMemory.Request(id, vault.requester(AGENT), WHY, approval);
    }

    @Test
    void twoRecallsSpendingOneApproval_atOnce_openItOnce() {
        ApprovalGate queue = vault.approvalQueue();
        String approval = org.junit.jupiter.api.Assertions.assertThrows(ApprovalPendingException.class,
                () -> vault.recallMemory(queue, List.of(), Optional.empty()).execute(request(Optional.empty()))).approvalId();
        vault.decideApproval().execute(new DecideApproval.Request(approval, true, Optional.empty(), "owner"));

        // The first recall passes the approval gate; before it reaches its grant, a second recall spends the same approval.
        AtomicBoolean raced = new AtomicBoolean();
        AtomicReference<RecallMemory.Recalled> second = new AtomicReference<>();
        AtomicReference<VaultException> secondRefused = new AtomicReference<>();
        ApprovalGate racing = req -> {
            ApprovalGate.Decision d = queue.decide(req);
            if (raced.compareAndSet(false, true)) {
                try {
                    second.set(vault.recallMemory(queue, List.of(), Optional.empty()).execute(request(Optional.of(approval))));
                } catch (VaultException e) {
                    secondRefused.set(e);
                }
            }
            return d;
        };
        RecallMemory first = vault.recallMemory(racing, List.of(), Optional.empty());
        RecallMemory.Recalled firstResult = null;
        VaultException firstRefused = null;
        try {
            firstResult = first.execute(request(Optional.of(approval)));
        } catch (VaultException e) {
            firstRefused = e;
        }

        assertThat(firstResult == null ? 0 : 1).as("exactly one of the two recalls opens the memory")
                .isEqualTo(second.get() == null ? 1 : 0);
        VaultException refused = firstRefused != null ? firstRefused : secondRefused.get();
        assertThat(refused).isInstanceOf(AccessRefusedException.class);
        assertThat(refused.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL);
        RecallMemory.Recalled opened = firstResult != null ? firstResult : second.get();
        try (Plaintext p = opened.plaintext()) {
            assertThat(p.length()).isEqualTo("the codes".length());
        }
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).hasSize(1);
        assertThat(vault.approvals().find(approval).orElseThrow().status()).isEqualTo(Approval.Status.USED);
    }
}
