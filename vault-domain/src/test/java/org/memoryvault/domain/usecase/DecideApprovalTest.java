package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memoryvault.domain.testing.FixedSecretProvider.keyFileSecret;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.testing.InMemoryVault;

/**
 * The owner's decision on a pending approval: approving proves an accepted secret now (a cached
 * key or a key file the agent may hold is not enough), denying needs none, and only a pending,
 * unexpired approval can be decided.
 */
class DecideApprovalTest {
    private static final Set<SlotType> PASSPHRASE_ONLY = Set.of(SlotType.PASSPHRASE);
    private static final byte[] KEY_FILE = new byte[32];

    static {
        for (int i = 0; i < KEY_FILE.length; i++) KEY_FILE[i] = (byte) (i * 7 + 3);
    }

    private InMemoryVault vault;
    private String id;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.principals().with("agent-7", Classification.VAULTED).with("agent-8", Classification.VAULTED);
        vault.requester("agent-7");
        Memory m = vault.memories().find(vault.store("launch codes", Classification.SEALED)).orElseThrow();
        ApprovalGate.Decision filed = vault.approvalQueue().decide(
                new ApprovalGate.Request(m, "agent-7", "weekly report", Optional.empty(), vault.clock().instant()));
        id = ((ApprovalGate.Pending) filed).approvalId();
    }

    private static DecideApproval.Request approve(String approvalId) {
        return new DecideApproval.Request(approvalId, true, Optional.of("fine, once"), "owner");
    }

    private static DecideApproval.Request deny(String approvalId) {
        return new DecideApproval.Request(approvalId, false, Optional.of("no"), "owner");
    }

    private Approval stored() { return vault.approvals().find(id).orElseThrow(); }

    private void addKeyFileSlot() {
        try (SlotSecret s = keyFileSecret(KEY_FILE)) {
            vault.addKeySlot().execute(new AddKeySlot.Request(InMemoryVault.PROFILE, new NewSlot("usb", s)));
        }
    }

    @Test
    void approve_withThePassphrase_approves_recordsWhoWhenAndWhy_andAuditsIt() {
        vault.clock().advance(Duration.ofMinutes(2));
        Instant now = vault.clock().instant();

        Approval decided = vault.decideApproval().execute(approve(id));

        assertThat(decided.status()).isEqualTo(Approval.Status.APPROVED);
        assertThat(decided.decidedBy()).contains("owner");
        assertThat(decided.decidedAt()).contains(now);
        assertThat(decided.reason()).contains("fine, once");
        assertThat(stored()).isEqualTo(decided);
        AuditEvent e = vault.audit().last().orElseThrow();
        assertThat(e.type()).isEqualTo(AuditEvent.APPROVAL_APPROVE);
        assertThat(e.fields()).containsEntry("approval_id", id).containsEntry("by", "owner").containsEntry("reason", "fine, once")
                .doesNotContainKey("refused");
    }

    @Test
    void approve_withOnlyAKeyFileSecret_whenOnlyPassphrasesAreAccepted_staysPending_andTheAttemptIsAudited() {
        addKeyFileSlot();
        vault.secrets().forget(SlotType.PASSPHRASE).useKeyFile(KEY_FILE);
        assertThat(vault.cache().find(InMemoryVault.PROFILE).isPresent()).as("the profile is unlocked in the cache").isTrue();

        assertThatThrownBy(() -> vault.decideApproval().execute(approve(id)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));

        assertThat(stored().status()).isEqualTo(Approval.Status.PENDING);
        assertThat(stored().decidedBy()).isEmpty();
        AuditEvent attempt = vault.audit().last().orElseThrow();
        assertThat(attempt.type()).isEqualTo(AuditEvent.APPROVAL_APPROVE_REFUSED);
        assertThat(attempt.fields()).containsEntry("approval_id", id)
                .containsEntry("code", ErrorCode.INPUT_SECRET_MISSING.name()).containsEntry("by", "owner");
    }

    @Test
    void approve_releasesTheMemorysKey_toTheRequestingPrincipal_only() {
        Approval decided = vault.decideApproval().execute(approve(id));

        assertThat(decided.release()).as("the owner released the content key").isPresent();
        Memory m = vault.memories().find(decided.memoryId()).orElseThrow();
        var agent = (org.memoryvault.domain.model.Requester.Agent) vault.requester("agent-7");
        try (var p = vault.sealer().openReleased(agent.key(), decided.release().get(), m.associatedData(), m.sealed().orElseThrow(),
                m.commitment())) {
            assertThat(new String(p.revealForCrypto(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("launch codes");
        }
        var other = (org.memoryvault.domain.model.Requester.Agent) vault.requester("agent-8");
        assertThatThrownBy(() -> vault.sealer().openReleased(other.key(), decided.release().get(), m.associatedData(),
                m.sealed().orElseThrow(), m.commitment()))
                .isInstanceOfSatisfying(org.memoryvault.domain.error.IntegrityException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }

    @Test
    void approve_forAPrincipalBelowTheLevel_orForLevel5_releasesNothing_andStaysPending() {
        vault.principals().with("scout", Classification.WORKING);
        vault.requester("scout");
        Memory m = vault.memories().find(vault.store("above the scout", Classification.SEALED)).orElseThrow();
        String low = ((ApprovalGate.Pending) vault.approvalQueue().decide(
                new ApprovalGate.Request(m, "scout", "why", Optional.empty(), vault.clock().instant()))).approvalId();
        assertThatThrownBy(() -> vault.decideApproval().execute(approve(low)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_CLEARANCE));
        assertThat(vault.approvals().find(low).orElseThrow().status()).isEqualTo(Approval.Status.PENDING);

        vault.principals().with("chief", Classification.BLACK);
        vault.requester("chief");
        Memory black = vault.memories().find(vault.store("the last secret", Classification.BLACK)).orElseThrow();
        String five = ((ApprovalGate.Pending) vault.approvalQueue().decide(
                new ApprovalGate.Request(black, "chief", "why", Optional.empty(), vault.clock().instant()))).approvalId();
        assertThatThrownBy(() -> vault.decideApproval().execute(approve(five)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOKEN));
    }

    @Test
    void approve_forARequesterWithoutACredential_releasesNothing_andStaysPending() {
        Memory m = vault.memories().find(vault.store("more codes", Classification.SEALED)).orElseThrow();
        String unknown = ((ApprovalGate.Pending) vault.approvalQueue().decide(
                new ApprovalGate.Request(m, "nobody", "why", Optional.empty(), vault.clock().instant()))).approvalId();

        assertThatThrownBy(() -> vault.decideApproval().execute(approve(unknown)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));
        assertThat(vault.approvals().find(unknown).orElseThrow().status()).isEqualTo(Approval.Status.PENDING);
    }

    @Test
    void approve_withAWrongPassphrase_isRefused_andStaysPending() {
        vault.secrets().usePassphrase("not the passphrase");

        assertThatThrownBy(() -> vault.decideApproval().execute(approve(id)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));

        assertThat(stored().status()).isEqualTo(Approval.Status.PENDING);
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.APPROVAL_APPROVE_REFUSED);
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("code", ErrorCode.ACCESS_WRONG_SECRET.name());
    }

    @Test
    void deny_needsNoSecret_andIsAudited() {
        vault.secrets().forget(SlotType.PASSPHRASE);
        int asked = vault.secrets().requests();

        Approval decided = vault.decideApproval().execute(deny(id));

        assertThat(decided.status()).isEqualTo(Approval.Status.DENIED);
        assertThat(decided.decidedBy()).contains("owner");
        assertThat(decided.reason()).contains("no");
        assertThat(stored()).isEqualTo(decided);
        assertThat(vault.secrets().requests()).as("no secret was asked for").isEqualTo(asked);
        AuditEvent e = vault.audit().last().orElseThrow();
        assertThat(e.type()).isEqualTo(AuditEvent.APPROVAL_DENY);
        assertThat(e.fields()).containsEntry("approval_id", id).containsEntry("by", "owner").containsEntry("reason", "no");
    }

    @Test
    void deciding_anApprovedApproval_isInputState() {
        vault.decideApproval().execute(approve(id));

        assertInputState(() -> vault.decideApproval().execute(deny(id)));
        assertThat(stored().status()).isEqualTo(Approval.Status.APPROVED);
    }

    @Test
    void deciding_aDeniedApproval_isInputState() {
        vault.decideApproval().execute(deny(id));

        assertInputState(() -> vault.decideApproval().execute(approve(id)));
        assertThat(stored().status()).isEqualTo(Approval.Status.DENIED);
    }

    @Test
    void deciding_anExpiredApproval_isInputState_andMarksItExpired() {
        vault.clock().advance(InMemoryVault.APPROVAL_TTL);
        int approveEvents = vault.audit().eventsOfType(AuditEvent.APPROVAL_APPROVE).size();

        assertInputState(() -> vault.decideApproval().execute(approve(id)));

        assertThat(stored().status()).isEqualTo(Approval.Status.EXPIRED);
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.APPROVAL_EXPIRE);
        assertThat(vault.audit().eventsOfType(AuditEvent.APPROVAL_APPROVE)).hasSize(approveEvents);
        assertInputState(() -> vault.decideApproval().execute(deny(id)));
    }

    @Test
    void deciding_anUnknownApproval_isNotFoundApproval() {
        assertThatThrownBy(() -> vault.decideApproval().execute(approve("f".repeat(32))))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_APPROVAL));
    }

    private static void assertInputState(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));
    }
}
