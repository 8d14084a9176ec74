package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.MemoryTestData;
import org.memoryvault.domain.testing.ScriptedMemoryAuditor;

/**
 * The anomaly watch, driven through RecallMemory: enough refused recalls inside the window put the
 * vault in lockdown on the detector's word; older refusals, a disabled rule and refusals caused by
 * lockdown itself do not.
 */
class AnomalyWatchTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final AnomalyRule THREE_BY_ONE = new AnomalyRule(true, 3, 100, WINDOW);

    private InMemoryVault vault;
    private MemoryId sealed;
    private MemoryId working;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        vault.requester(InMemoryVault.AGENT);      // enrolled before any lockdown (enrolling is refused in one)
        sealed = vault.store("above the agent's clearance", Classification.SEALED);
        working = vault.store("within everyone's clearance", Classification.WORKING);
    }

    private RecallMemory recallWith(AnomalyRule rule) { return recallWith(rule, List.of()); }

    private RecallMemory recallWith(AnomalyRule rule, List<MemoryAuditor> auditors) {
        return vault.recallMemory(vault.approval(), auditors, Optional.of(vault.anomalyWatch(rule)));
    }

    /** Recalls and expects a refusal with {@code code}. */
    private void refused(RecallMemory recall, MemoryId id, String requester, ErrorCode code) {
        assertThatThrownBy(() -> recall.execute(new RecallMemory.Request(id, vault.requester(requester), "probe", Optional.empty())))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private void clearanceRefusal(RecallMemory recall, String requester) {
        refused(recall, sealed, requester, ErrorCode.ACCESS_CLEARANCE);
    }

    @Test
    void threeRefusalsByOneRequester_withinTheWindow_enterLockdown_onTheDetectorsWord() {
        RecallMemory recall = recallWith(THREE_BY_ONE);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        vault.clock().advance(Duration.ofMinutes(4));
        clearanceRefusal(recall, InMemoryVault.AGENT);
        assertThat(vault.state().lockdown().active()).as("two refusals are not an anomaly").isFalse();
        vault.clock().advance(Duration.ofMinutes(4));

        clearanceRefusal(recall, InMemoryVault.AGENT);

        String reason = "anomaly: 3 refused recalls by agent within 10m";
        assertThat(vault.state().lockdown()).isEqualTo(LockdownState.entered(vault.clock().instant(), reason, "anomaly-detector"));
        AuditEvent enter = vault.audit().last().orElseThrow();
        assertThat(enter.type()).isEqualTo(AuditEvent.LOCKDOWN_ENTER);
        assertThat(enter.fields()).containsEntry("reason", reason).containsEntry("by", "anomaly-detector");
        assertThat(vault.audit().events().get(vault.audit().size() - 2).type()).as("the refusal is audited first")
                .isEqualTo(AuditEvent.RECALL_REFUSED);
        assertThat(vault.cache().size()).as("lockdown wipes cached keys").isZero();
        assertThat(vault.boundary().forgetPermitsCalls()).as("lockdown drops cached boundary permits").isEqualTo(1);

        refused(recall, working, InMemoryVault.OWNER, ErrorCode.ACCESS_LOCKDOWN);
    }

    @Test
    void refusalsOlderThanTheWindow_doNotCount() {
        RecallMemory recall = recallWith(THREE_BY_ONE);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        vault.clock().advance(Duration.ofMinutes(6));
        clearanceRefusal(recall, InMemoryVault.AGENT);
        vault.clock().advance(Duration.ofMinutes(5));

        clearanceRefusal(recall, InMemoryVault.AGENT);

        assertThat(vault.state().lockdown().active()).as("the first refusal left the window").isFalse();

        clearanceRefusal(recall, InMemoryVault.AGENT);

        assertThat(vault.state().lockdown().active()).as("three inside the window").isTrue();
    }

    @Test
    void refusalsAreCountedPerRequester() {
        vault.principals().with("agent-b", Classification.PRIVATE);
        RecallMemory recall = recallWith(THREE_BY_ONE);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        clearanceRefusal(recall, "agent-b");
        clearanceRefusal(recall, "agent-b");

        assertThat(vault.state().lockdown().active()).isFalse();

        clearanceRefusal(recall, "agent-b");

        assertThat(vault.state().lockdown().reason()).contains("anomaly: 3 refused recalls by agent-b within 10m");
    }

    @Test
    void refusalsByEveryone_reachingTheTotal_enterLockdown() {
        RecallMemory recall = recallWith(new AnomalyRule(true, 10, 4, WINDOW));
        clearanceRefusal(recall, InMemoryVault.AGENT);
        clearanceRefusal(recall, "stranger-1");
        clearanceRefusal(recall, "stranger-2");
        assertThat(vault.state().lockdown().active()).isFalse();

        refused(recall, MemoryTestData.aMemoryId(), "stranger-3", ErrorCode.NOT_FOUND_MEMORY);

        assertThat(vault.state().lockdown().reason()).contains("anomaly: 4 refused recalls in total within 10m");
    }

    @Test
    void probingUnknownIds_counts() {
        RecallMemory recall = recallWith(THREE_BY_ONE);
        for (int i = 0; i < 3; i++) refused(recall, MemoryTestData.aMemoryId(), "prober", ErrorCode.NOT_FOUND_MEMORY);

        assertThat(vault.state().lockdown().by()).contains("anomaly-detector");
    }

    @Test
    void memoryAuditorRefusals_count() {
        RecallMemory recall = recallWith(new AnomalyRule(true, 2, 100, WINDOW),
                List.of(ScriptedMemoryAuditor.refusing("strict", "looks hostile")));

        refused(recall, working, InMemoryVault.OWNER, ErrorCode.ACCESS_AUDITOR);
        refused(recall, working, InMemoryVault.OWNER, ErrorCode.ACCESS_AUDITOR);

        assertThat(vault.state().lockdown().reason()).contains("anomaly: 2 refused recalls by owner within 10m");
    }

    @Test
    void grantedRecalls_neverCount() {
        RecallMemory recall = recallWith(new AnomalyRule(true, 1, 1, WINDOW));

        for (int i = 0; i < 5; i++) {
            recall.execute(new RecallMemory.Request(working, vault.requester(InMemoryVault.AGENT), "work", Optional.empty())).plaintext().close();
        }

        assertThat(vault.state().lockdown().active()).isFalse();
        assertThat(vault.refusals().queries()).isZero();
    }

    @Test
    void aDisabledRule_neverLocksDown_andNeverCounts() {
        RecallMemory recall = recallWith(new AnomalyRule(false, 1, 1, WINDOW));

        for (int i = 0; i < 10; i++) clearanceRefusal(recall, InMemoryVault.AGENT);

        assertThat(vault.state().lockdown().active()).isFalse();
        assertThat(vault.audit().eventsOfType(AuditEvent.LOCKDOWN_ENTER)).isEmpty();
        assertThat(vault.refusals().queries()).isZero();
    }

    @Test
    void refusalsBecauseOfLockdown_doNotConsultTheWatch_andKeepTheOriginalReason() {
        vault.enterLockdown().execute(new EnterLockdown.Request("owner drill", "owner"));
        RecallMemory recall = recallWith(new AnomalyRule(true, 1, 1, WINDOW));

        for (int i = 0; i < 5; i++) refused(recall, sealed, InMemoryVault.AGENT, ErrorCode.ACCESS_LOCKDOWN);

        assertThat(vault.refusals().queries()).isZero();
        assertThat(vault.state().lockdown().reason()).contains("owner drill");
        assertThat(vault.state().lockdown().by()).contains("owner");
        assertThat(vault.audit().eventsOfType(AuditEvent.LOCKDOWN_ENTER)).hasSize(1);
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_REFUSED)).hasSize(5)
                .allSatisfy(e -> assertThat(e.fields()).containsEntry("gate", "lockdown"));
    }

    @Test
    void afterRefusal_returnsTheReasonItLockedDownWith() {
        AnomalyWatch watch = vault.anomalyWatch(new AnomalyRule(true, 1, 100, WINDOW));
        assertThat(watch.afterRefusal(InMemoryVault.AGENT)).as("nothing refused yet").isEmpty();

        clearanceRefusal(vault.recallMemory(), InMemoryVault.AGENT);

        assertThat(watch.afterRefusal(InMemoryVault.AGENT)).contains("anomaly: 1 refused recalls by agent within 10m");
        assertThat(vault.state().lockdown().active()).isTrue();
    }

    @Test
    void afterTheOwnerLeavesLockdown_theRefusalsThatCausedItNoLongerCount() {
        RecallMemory recall = recallWith(THREE_BY_ONE);
        for (int i = 0; i < 3; i++) clearanceRefusal(recall, InMemoryVault.AGENT);
        assertThat(vault.state().lockdown().active()).isTrue();
        vault.clock().advance(Duration.ofMinutes(1));
        vault.exitLockdown().execute(new ExitLockdown.Request(InMemoryVault.PROFILE, "owner"));

        vault.clock().advance(Duration.ofSeconds(1));
        clearanceRefusal(recall, InMemoryVault.AGENT);

        assertThat(vault.state().lockdown().active()).as("one refusal after the exit is not an anomaly").isFalse();
        clearanceRefusal(recall, InMemoryVault.AGENT);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        assertThat(vault.state().lockdown().active()).as("three new ones are").isTrue();
    }

    @Test
    void wrongSecrets_countPerProfile_andInTheTotal_likeRefusedRecalls() {
        AnomalyWatch watch = vault.anomalyWatch(THREE_BY_ONE);
        for (int i = 0; i < 2; i++) {
            vault.audit().append(AuditEvent.of(AuditEvent.SECRET_REFUSED, vault.clock().instant())
                    .with("requester", AnomalyWatch.secretRequester("default")).with("command", "config set"));
            assertThat(watch.afterSecretRefusal("default")).isEmpty();
        }
        vault.audit().append(AuditEvent.of(AuditEvent.SECRET_REFUSED, vault.clock().instant())
                .with("requester", AnomalyWatch.secretRequester("default")).with("command", "config set"));

        assertThat(watch.afterSecretRefusal("default")).contains("anomaly: 3 wrong secrets for profile default within 10m");
        assertThat(vault.state().lockdown().active()).isTrue();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("by", "anomaly-detector");
    }

    @Test
    void wrongSecrets_andRefusedRecalls_addUpInTheTotal() {
        AnomalyRule totalOfThree = new AnomalyRule(true, 100, 3, WINDOW);
        RecallMemory recall = recallWith(totalOfThree);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        clearanceRefusal(recall, InMemoryVault.AGENT);
        vault.audit().append(AuditEvent.of(AuditEvent.SECRET_REFUSED, vault.clock().instant())
                .with("requester", AnomalyWatch.secretRequester("default")));
        assertThat(vault.anomalyWatch(totalOfThree).afterSecretRefusal("default"))
                .contains("anomaly: 3 refused recalls and wrong secrets in total within 10m");
    }
}
