package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.testing.InMemoryVault;

/** A level-3 recall through the real approval queue: pending, the owner approves, one retry succeeds, the next is refused. */
class RecallWithApprovalQueueTest {
    private static final String WHY = "check the launch window";
    /** An agent principal: the owner opens level 3 with the owner's secret, an agent only through an approval. */
    private static final String AGENT = "planner";

    private InMemoryVault vault;
    private RecallMemory recall;
    private MemoryId id;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.principals().with("deputy", Classification.BLACK).with(AGENT, Classification.VAULTED);
        id = vault.store("the codes are 0000", Classification.SEALED);
        recall = vault.recallMemory(vault.approvalQueue(), List.of(), Optional.empty());
    }

    private RecallMemory.Recalled recall(String requester, String why, Optional<String> approvalId) {
        return recall.execute(new RecallMemory.Request(id, vault.requester(requester), why, approvalId));
    }

    private String firstRecallIsPending() {
        int opens = vault.sealer().openCalls();
        ApprovalPendingException pending = org.junit.jupiter.api.Assertions.assertThrows(ApprovalPendingException.class,
                () -> recall(AGENT, WHY, Optional.empty()));
        assertThat(pending.code()).isEqualTo(ErrorCode.APPROVAL_PENDING);
        assertThat(pending.approvalId()).matches("[0-9a-f]{32}");
        assertThat(pending.expiresAt()).isEqualTo(vault.clock().instant().plus(InMemoryVault.APPROVAL_TTL).toString());
        assertThat(pending.getMessage()).contains(pending.approvalId());
        assertThat(vault.sealer().openCalls()).as("nothing is decrypted while pending").isEqualTo(opens);
        return pending.approvalId();
    }

    private void ownerApproves(String approvalId) {
        vault.decideApproval().execute(new DecideApproval.Request(approvalId, true, Optional.empty(), "owner"));
    }

    @Test
    void pending_thenApproved_thenOneRetrySucceeds_andTheNextIsRefused() {
        String approvalId = firstRecallIsPending();
        AuditEvent pendingEvent = vault.audit().eventsOfType(AuditEvent.RECALL_PENDING).get(0);
        assertThat(pendingEvent.fields()).containsEntry("approval_id", approvalId).containsEntry("memory_id", id.toString())
                .containsEntry("requester", AGENT).containsEntry("justification", WHY);

        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .as("still pending before the owner decides").isInstanceOf(ApprovalPendingException.class);

        ownerApproves(approvalId);
        RecallMemory.Recalled r = recall(AGENT, WHY, Optional.of(approvalId));
        try (Plaintext p = r.plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("the codes are 0000");
        }
        assertThat(vault.approvals().find(approvalId).orElseThrow().status()).isEqualTo(Approval.Status.USED);
        AuditEvent granted = vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED).get(0);
        assertThat(granted.fields()).containsEntry("approved_by", "owner").containsEntry("memory_id", id.toString());

        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL);
                    assertThat(e.getMessage()).contains("already used");
                });
        AuditEvent refused = vault.audit().last().orElseThrow();
        assertThat(refused.type()).isEqualTo(AuditEvent.RECALL_REFUSED);
        assertThat(refused.fields()).containsEntry("gate", "approval").containsEntry("code", ErrorCode.ACCESS_APPROVAL.name());
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).hasSize(1);
    }

    @Test
    void aLaterGateRefusing_leavesTheApprovalUnspent_forTheRetryThatPasses() {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
        org.memoryvault.domain.port.MemoryAuditor picky = new org.memoryvault.domain.port.MemoryAuditor() {
            @Override public String name() { return "picky"; }

            @Override public Verdict inspect(org.memoryvault.domain.model.Memory memory, Plaintext content) {
                return refuse.get() ? new Refuse("not now") : new Pass();
            }
        };
        recall = vault.recallMemory(vault.approvalQueue(), List.of(picky), Optional.empty());
        String approvalId = firstRecallIsPending();
        ownerApproves(approvalId);

        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_AUDITOR));
        assertThat(vault.approvals().find(approvalId).orElseThrow().status()).as("a refused recall spends nothing")
                .isEqualTo(Approval.Status.APPROVED);
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_USE)).isEmpty();

        refuse.set(false);
        try (Plaintext p = recall(AGENT, WHY, Optional.of(approvalId)).plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("the codes are 0000");
        }
        assertThat(vault.approvals().find(approvalId).orElseThrow().status()).isEqualTo(Approval.Status.USED);
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_USE)).hasSize(1);
        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.getMessage()).contains("already used"));
    }

    @Test
    void tombstoningTheMemory_withdrawsTheKeyTheOwnerReleased_andExpiresTheApproval() {
        String approvalId = firstRecallIsPending();
        ownerApproves(approvalId);
        assertThat(vault.approvals().find(approvalId).orElseThrow().release()).isPresent();

        vault.tombstoneMemory().execute(new TombstoneMemory.Request(id, "leaked", "owner", true));

        Approval after = vault.approvals().find(approvalId).orElseThrow();
        assertThat(after.release()).as("the principal's credential no longer opens any copy of the ciphertext").isEmpty();
        assertThat(after.status()).isEqualTo(Approval.Status.EXPIRED);
        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOMBSTONED));
    }

    @Test
    void anotherRequesterOrJustification_cannotSpendTheApproval() {
        String approvalId = firstRecallIsPending();
        ownerApproves(approvalId);

        assertThatThrownBy(() -> recall("deputy", WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL));
        assertThatThrownBy(() -> recall(AGENT, "something else", Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL));

        try (Plaintext p = recall(AGENT, WHY, Optional.of(approvalId)).plaintext()) {
            assertThat(p.length()).isPositive();
        }
    }

    @Test
    void expiredApproval_isRefused_andFilesNoNewRequest() {
        String approvalId = firstRecallIsPending();
        ownerApproves(approvalId);
        vault.clock().advance(InMemoryVault.APPROVAL_TTL);

        assertThatThrownBy(() -> recall(AGENT, WHY, Optional.of(approvalId)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL);
                    assertThat(e.getMessage()).contains("expired");
                });
        assertThat(vault.approvals().size()).isEqualTo(1);
    }

    @Test
    void theOwner_opensTheSealedLevel_withTheOwnersSecret_andFilesNoRequest() {
        try (Plaintext p = recall(InMemoryVault.OWNER, WHY, Optional.empty()).plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("the codes are 0000");
        }
        assertThat(vault.approvals().size()).isZero();
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED).get(0).fields()).containsEntry("approved_by", "owner");
    }

    @Test
    void theOwner_withoutTheOwnersSecret_isRefusedAtTheApprovalGate() {
        vault.cache().forgetAll();
        vault.secrets().forget(org.memoryvault.domain.model.SlotType.PASSPHRASE);

        assertThatThrownBy(() -> recall(InMemoryVault.OWNER, WHY, Optional.empty()))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_APPROVAL));
        assertThat(vault.approvals().size()).isZero();
    }

    @Test
    void aLevelWithoutHumanApproval_neverFilesARequest() {
        MemoryId working = vault.store("plain", Classification.PRIVATE);

        try (Plaintext p = recall.execute(new RecallMemory.Request(working, vault.requester(InMemoryVault.OWNER), WHY, Optional.empty())).plaintext()) {
            assertThat(p.length()).isEqualTo(5);
        }
        assertThat(vault.approvals().size()).isZero();
    }
}
