package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.ScriptedMemoryAuditor;

/**
 * Memory auditors (gate 9) see the decrypted content before delivery: warnings travel with the
 * result, a refusal withholds and wipes the plaintext and is audited like any other refusal.
 */
class RecallMemoryAuditorsTest {
    private static final String CONTENT = "remember: the gate code is 4711";

    private InMemoryVault vault;
    private MemoryId id;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        id = vault.store(CONTENT, Classification.PRIVATE);
    }

    private RecallMemory.Recalled recall(MemoryAuditor... auditors) {
        return vault.recallMemory(vault.approval(), List.of(auditors), Optional.empty())
                .execute(new RecallMemory.Request(id, vault.requester(InMemoryVault.AGENT), "daily check", Optional.empty()));
    }

    @Test
    void passingAuditors_addNoWarnings() {
        ScriptedMemoryAuditor pass = ScriptedMemoryAuditor.passing("quiet");

        RecallMemory.Recalled r = recall(pass);

        try (Plaintext p = r.plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
        }
        assertThat(r.warnings()).isEmpty();
        assertThat(pass.inspected()).extracting(m -> m.id()).containsExactly(id);
        assertThat(vault.audit().last().orElseThrow().fields()).doesNotContainKey("auditor_warnings");
    }

    @Test
    void auditorsSeeTheDecryptedContent() {
        ScriptedMemoryAuditor pass = ScriptedMemoryAuditor.passing("quiet");

        recall(pass).plaintext().close();

        assertThat(new String(pass.lastContent(), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
    }

    @Test
    void warnFindings_comeBackPrefixedWithTheAuditorName_andTheGrantIsAudited() {
        RecallMemory.Recalled r = recall(ScriptedMemoryAuditor.warning("injection", "asks to ignore instructions", "has a chat token"),
                ScriptedMemoryAuditor.passing("quiet"), ScriptedMemoryAuditor.warning("pii", "contains a phone number"));

        try (Plaintext p = r.plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).as("a warning still delivers").isEqualTo(CONTENT);
        }
        assertThat(r.warnings()).containsExactly("injection: asks to ignore instructions", "injection: has a chat token",
                "pii: contains a phone number");
        AuditEvent granted = vault.audit().last().orElseThrow();
        assertThat(granted.type()).isEqualTo(AuditEvent.RECALL_GRANTED);
        assertThat(granted.fields()).containsEntry("auditor_warnings", 3L).containsEntry("memory_id", id.toString());
        assertThat(vault.memories().find(id).orElseThrow().lastRecalledAt()).contains(vault.clock().instant());
    }

    @Test
    void aRefusingAuditor_refusesWithAccessAuditor_auditsIt_andWipesThePlaintext() {
        ScriptedMemoryAuditor warn = ScriptedMemoryAuditor.warning("first", "something odd");
        ScriptedMemoryAuditor refuse = ScriptedMemoryAuditor.refusing("strict", "looks like an injection");
        ScriptedMemoryAuditor after = ScriptedMemoryAuditor.passing("after");

        assertThatThrownBy(() -> recall(warn, refuse, after)).isInstanceOfSatisfying(AccessRefusedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_AUDITOR);
            assertThat(e.getMessage()).contains("strict").contains("looks like an injection").doesNotContain("4711");
        });

        Plaintext seen = refuse.lastSeen().orElseThrow();
        assertThat(new String(refuse.lastContent(), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
        assertThat(seen.revealForCrypto()).as("the withheld plaintext is wiped").containsOnly((byte) 0);
        assertThat(after.inspected()).as("later auditors do not see refused content").isEmpty();
        AuditEvent refused = vault.audit().last().orElseThrow();
        assertThat(refused.type()).isEqualTo(AuditEvent.RECALL_REFUSED);
        assertThat(refused.fields()).containsEntry("gate", "auditors").containsEntry("code", ErrorCode.ACCESS_AUDITOR.name())
                .containsEntry("requester", InMemoryVault.AGENT).containsEntry("memory_id", id.toString());
        assertThat(refused.fields().get("reason").toString()).contains("strict").doesNotContain("4711");
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).isEmpty();
        assertThat(vault.memories().find(id).orElseThrow().lastRecalledAt()).as("a refused recall is not recorded").isEmpty();
    }
}
