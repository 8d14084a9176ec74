package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.MemoryTestData;
import org.memoryvault.domain.testing.ScriptedApprovalGate;

/**
 * Every refusal of RecallMemory throws the gate's code and is audited with its gate, code and
 * reason; a refused recall never reaches decryption and changes no memory.
 */
class RecallRefusalsTest {

    /** Prepares a vault and returns the id to recall and who asks. */
    record Scenario(String name, Function<InMemoryVault, MemoryId> setUp, String requester, String gate, ErrorCode code) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                new Scenario("lockdown", v -> {
                    MemoryId id = v.store("x", Classification.WORKING);
                    v.state().setLockdown(LockdownState.entered(v.clock().instant(), "test", "owner"));
                    return id;
                }, InMemoryVault.OWNER, "lockdown", ErrorCode.ACCESS_LOCKDOWN),
                new Scenario("unknown id", v -> MemoryTestData.aMemoryId(), InMemoryVault.OWNER, "existence", ErrorCode.NOT_FOUND_MEMORY),
                new Scenario("tombstoned", v -> {
                    MemoryId id = v.store("x", Classification.WORKING);
                    v.tombstoneMemory().execute(new TombstoneMemory.Request(id, "obsolete", "owner", false));
                    return id;
                }, InMemoryVault.OWNER, "existence", ErrorCode.ACCESS_TOMBSTONED),
                new Scenario("expired ephemeral", v -> {
                    MemoryId id = v.store("x", Classification.EPHEMERAL);
                    v.clock().advance(v.settings().ephemeralTtl());
                    return id;
                }, InMemoryVault.OWNER, "existence", ErrorCode.ACCESS_EXPIRED),
                new Scenario("clearance too low", v -> v.store("x", Classification.SEALED),
                        InMemoryVault.AGENT, "clearance", ErrorCode.ACCESS_CLEARANCE),
                new Scenario("unknown principal has the lowest clearance", v -> v.store("x", Classification.WORKING),
                        "stranger", "clearance", ErrorCode.ACCESS_CLEARANCE),
                new Scenario("boundary refuses", v -> {
                    v.boundary().answer(BoundaryGuard.Decision.refuse("wlan0 is up"));
                    return v.store("x", Classification.WORKING);
                }, InMemoryVault.OWNER, "boundary", ErrorCode.ACCESS_BOUNDARY),
                new Scenario("approval denied", v -> {
                    v.approval().always(ScriptedApprovalGate.denied("not today"));
                    v.principals().with("deputy", Classification.VAULTED);
                    return v.store("x", Classification.SEALED);
                }, "deputy", "approval", ErrorCode.ACCESS_APPROVAL),
                new Scenario("cooldown active", v -> {
                    MemoryId id = v.store("x", Classification.WORKING, new AccessPolicy(new Cooldown(Duration.ofHours(1))), Metadata.EMPTY);
                    v.recall(id, InMemoryVault.OWNER);
                    v.clock().advance(Duration.ofMinutes(59));
                    return id;
                }, InMemoryVault.OWNER, "cooldown", ErrorCode.ACCESS_COOLDOWN),
                new Scenario("presence token missing", v -> {
                    v.approval().always(ScriptedApprovalGate.approved("alice"));
                    return v.store("x", Classification.BLACK);
                }, InMemoryVault.OWNER, "presence", ErrorCode.ACCESS_TOKEN))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyRefusal_isThrownWithItsCode_andAuditedWithGateAndCode(Scenario s) {
        InMemoryVault vault = InMemoryVault.create();
        vault.createDefaultProfile();
        MemoryId id = s.setUp().apply(vault);
        var requester = vault.requester(s.requester());
        Optional<org.memoryvault.domain.model.Memory> before = vault.memories().find(id);
        int opensBefore = vault.sealer().openCalls();
        int eventsBefore = vault.audit().size();

        assertThatThrownBy(() -> vault.recallMemory().execute(new RecallMemory.Request(id, requester, "why not", Optional.empty())))
                .isInstanceOfSatisfying(VaultException.class, e -> {
                    assertThat(e.code()).isEqualTo(s.code());
                    assertThat(e.code().category()).isEqualTo(s.code().category());
                });

        assertThat(vault.audit().size()).isEqualTo(eventsBefore + 1);
        AuditEvent refusal = vault.audit().last().orElseThrow();
        assertThat(refusal.type()).isEqualTo(AuditEvent.RECALL_REFUSED);
        assertThat(refusal.at()).isEqualTo(vault.clock().instant());
        assertThat(refusal.fields()).containsEntry("memory_id", id.toString()).containsEntry("requester", s.requester())
                .containsEntry("justification", "why not").containsEntry("gate", s.gate()).containsEntry("code", s.code().name())
                .containsKey("reason");
        assertThat(vault.sealer().openCalls()).as("a refused recall never reaches decryption").isEqualTo(opensBefore);
        assertThat(vault.memories().find(id).map(m -> m.lastRecalledAt())).isEqualTo(before.map(m -> m.lastRecalledAt()));
    }
}
