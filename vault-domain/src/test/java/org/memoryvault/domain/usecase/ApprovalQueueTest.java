package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.testing.InMemoryVault;

/**
 * The approval queue as an {@link ApprovalGate}: it files requests, answers "pending" until the owner
 * decides, hands out an approval once, only for the memory, requester and justification it was
 * given for, and never after it expired.
 */
class ApprovalQueueTest {
    private static final String REQUESTER = "agent-7";
    private static final String WHY = "prepare the quarterly report";

    private InMemoryVault vault;
    private ApprovalQueue queue;
    private Memory memory;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.principals().with(REQUESTER, Classification.VAULTED).with("agent-8", Classification.VAULTED);
        vault.requester(REQUESTER);
        memory = vault.memories().find(vault.store("launch codes", Classification.SEALED)).orElseThrow();
        queue = vault.approvalQueue();
    }

    private ApprovalGate.Request ask(Optional<String> approvalId) { return ask(memory, REQUESTER, WHY, approvalId); }

    private ApprovalGate.Request ask(Memory m, String requester, String why, Optional<String> approvalId) {
        return new ApprovalGate.Request(m, requester, why, approvalId, vault.clock().instant());
    }

    private String file() { return ((ApprovalGate.Pending) queue.decide(ask(Optional.empty()))).approvalId(); }

    private void decide(String id, boolean approve, Optional<String> reason) {
        vault.decideApproval().execute(new DecideApproval.Request(id, approve, reason, "owner"));
    }

    private Approval stored(String id) { return vault.approvals().find(id).orElseThrow(); }

    @Test
    void noApprovalId_filesAPendingRequest_withAFreshIdAndTheTtl_andAuditsIt() {
        Instant now = vault.clock().instant();

        ApprovalGate.Decision d = queue.decide(ask(Optional.empty()));

        assertThat(d).isInstanceOf(ApprovalGate.Pending.class);
        ApprovalGate.Pending p = (ApprovalGate.Pending) d;
        assertThat(p.approvalId()).matches("[0-9a-f]{32}");
        assertThat(p.expiresAt()).isEqualTo(now.plus(InMemoryVault.APPROVAL_TTL));
        Approval a = stored(p.approvalId());
        assertThat(a.status()).isEqualTo(Approval.Status.PENDING);
        assertThat(a.memoryId()).isEqualTo(memory.id());
        assertThat(a.requester()).isEqualTo(REQUESTER);
        assertThat(a.justification()).isEqualTo(WHY);
        assertThat(a.requestedAt()).isEqualTo(now);
        assertThat(a.expiresAt()).isEqualTo(p.expiresAt());
        assertThat(a.decidedBy()).isEmpty();
        AuditEvent e = vault.audit().last().orElseThrow();
        assertThat(e.type()).isEqualTo(AuditEvent.APPROVAL_REQUEST);
        assertThat(e.at()).isEqualTo(now);
        assertThat(e.fields()).containsEntry("approval_id", p.approvalId()).containsEntry("memory_id", memory.id().toString())
                .containsEntry("requester", REQUESTER).containsEntry("justification", WHY)
                .containsEntry("expires_at", p.expiresAt().toString());
    }

    @Test
    void everyFiling_getsItsOwnId() {
        String first = file();
        String second = file();

        assertThat(second).isNotEqualTo(first);
        assertThat(vault.approvals().size()).isEqualTo(2);
    }

    @Test
    void retryWhilePending_isPendingWithTheSameIdAndExpiry_andFilesNothingNew() {
        ApprovalGate.Pending filed = (ApprovalGate.Pending) queue.decide(ask(Optional.empty()));
        vault.clock().advance(Duration.ofMinutes(3));
        int events = vault.audit().size();

        ApprovalGate.Decision retry = queue.decide(ask(Optional.of(filed.approvalId())));

        assertThat(retry).isEqualTo(new ApprovalGate.Pending(filed.approvalId(), filed.expiresAt()));
        assertThat(vault.approvals().size()).isEqualTo(1);
        assertThat(vault.audit().size()).isEqualTo(events);
    }

    @Test
    void approved_isGrantedOnce_thenDeniedAsAlreadyUsed() {
        String id = file();
        decide(id, true, Optional.empty());

        ApprovalGate.Decision first = queue.decide(ask(Optional.of(id)));

        assertThat(first).isInstanceOfSatisfying(ApprovalGate.Approved.class, a -> {
            assertThat(a.by()).isEqualTo("owner");
            assertThat(a.release()).as("the key the owner released comes with the approval").isPresent();
            assertThat(a.ownerSecret()).isEmpty();
            assertThat(a.approvalId()).contains(id);
        });
        assertThat(stored(id).status()).as("deciding spends nothing: the grant does").isEqualTo(Approval.Status.APPROVED);
        assertThat(queue.spend((ApprovalGate.Approved) first)).isTrue();
        assertThat(stored(id).status()).isEqualTo(Approval.Status.USED);
        AuditEvent use = vault.audit().last().orElseThrow();
        assertThat(use.type()).isEqualTo(AuditEvent.APPROVAL_USE);
        assertThat(use.fields()).containsEntry("approval_id", id).containsEntry("requester", REQUESTER);

        ApprovalGate.Decision second = queue.decide(ask(Optional.of(id)));

        assertThat(second).isInstanceOfSatisfying(ApprovalGate.Denied.class, d -> assertThat(d.reason()).contains("already used"));
        assertThat(queue.spend((ApprovalGate.Approved) first)).as("spent once only").isFalse();
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_USE)).hasSize(1);
    }

    @Test
    void approval_isBoundToMemoryRequesterAndJustification_andAMismatchDoesNotUseIt() {
        String id = file();
        decide(id, true, Optional.empty());
        Memory other = vault.memories().find(vault.store("other secret", Classification.SEALED)).orElseThrow();

        assertThat(queue.decide(ask(other, REQUESTER, WHY, Optional.of(id)))).as("another memory")
                .isInstanceOfSatisfying(ApprovalGate.Denied.class, d -> assertThat(d.reason()).contains(id));
        assertThat(queue.decide(ask(memory, "agent-8", WHY, Optional.of(id)))).as("another requester")
                .isInstanceOf(ApprovalGate.Denied.class);
        assertThat(queue.decide(ask(memory, REQUESTER, WHY + " and more", Optional.of(id)))).as("another justification")
                .isInstanceOf(ApprovalGate.Denied.class);
        assertThat(stored(id).status()).as("a mismatch does not spend the approval").isEqualTo(Approval.Status.APPROVED);

        assertThat(queue.decide(ask(Optional.of(id)))).isInstanceOf(ApprovalGate.Approved.class);
    }

    @Test
    void pendingApproval_expires_andIsDeniedAndMarkedExpired_withAnAuditEvent() {
        String id = file();
        vault.clock().advance(InMemoryVault.APPROVAL_TTL.minusMillis(1));
        assertThat(queue.decide(ask(Optional.of(id)))).as("one millisecond before expiry").isInstanceOf(ApprovalGate.Pending.class);
        vault.clock().advance(Duration.ofMillis(1));

        ApprovalGate.Decision d = queue.decide(ask(Optional.of(id)));

        assertThat(d).isInstanceOfSatisfying(ApprovalGate.Denied.class, x -> assertThat(x.reason()).contains("expired"));
        assertThat(stored(id).status()).isEqualTo(Approval.Status.EXPIRED);
        AuditEvent e = vault.audit().last().orElseThrow();
        assertThat(e.type()).isEqualTo(AuditEvent.APPROVAL_EXPIRE);
        assertThat(e.fields()).containsEntry("approval_id", id);
        assertThat(queue.decide(ask(Optional.of(id)))).isInstanceOf(ApprovalGate.Denied.class);
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_EXPIRE)).as("expiry is audited once").hasSize(1);
    }

    @Test
    void approvedButUnusedApproval_expires_andIsNotGranted() {
        String id = file();
        decide(id, true, Optional.empty());
        vault.clock().advance(InMemoryVault.APPROVAL_TTL.plusSeconds(1));

        assertThat(queue.decide(ask(Optional.of(id)))).isInstanceOf(ApprovalGate.Denied.class);
        assertThat(stored(id).status()).isEqualTo(Approval.Status.EXPIRED);
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_USE)).isEmpty();
    }

    @Test
    void denied_isDeniedWithTheOwnersReason() {
        String id = file();
        decide(id, false, Optional.of("not during the audit"));

        ApprovalGate.Decision d = queue.decide(ask(Optional.of(id)));

        assertThat(d).isInstanceOfSatisfying(ApprovalGate.Denied.class,
                x -> assertThat(x.reason()).contains("denied").contains("not during the audit"));
        assertThat(stored(id).status()).isEqualTo(Approval.Status.DENIED);
    }

    @Test
    void unknownApprovalId_isDenied() {
        file();

        assertThat(queue.decide(ask(Optional.of("0".repeat(32))))).isInstanceOf(ApprovalGate.Denied.class);
    }

    @Test
    void listApprovals_showsPendingOnesNewestFirst() {
        String first = file();
        vault.clock().advance(Duration.ofSeconds(1));
        String second = file();
        vault.clock().advance(Duration.ofSeconds(1));
        String third = file();
        decide(second, false, Optional.empty());

        assertThat(vault.listApprovals().execute(true, 10)).extracting(Approval::id).containsExactly(third, first);
        assertThat(vault.listApprovals().execute(false, 10)).extracting(Approval::id).containsExactly(third, second, first);
    }
}
