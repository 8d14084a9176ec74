package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.testing.InMemoryVault;

class LockdownTest {

    private InMemoryVault vault;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
    }

    private void enter() { vault.enterLockdown().execute(new EnterLockdown.Request("anomaly", "detector")); }

    private ExitLockdown.Request exit() { return new ExitLockdown.Request(InMemoryVault.PROFILE, "owner"); }

    @Test
    void enter_recordsTheState_auditsIt_wipesCachedKeys_andDestroysSessions() {
        assertThat(vault.cache().find(InMemoryVault.PROFILE).isPresent()).isTrue();

        LockdownState s = vault.enterLockdown().execute(new EnterLockdown.Request("anomaly", "detector"));

        assertThat(s.active()).isTrue();
        assertThat(s.since()).contains(vault.clock().instant());
        assertThat(vault.state().lockdown()).isEqualTo(s);
        assertThat(vault.cache().size()).isZero();
        assertThat(vault.sessions().destroyAllCalls()).isEqualTo(1);
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.LOCKDOWN_ENTER);
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("reason", "anomaly").containsEntry("by", "detector");
    }

    @Test
    void enterTwice_keepsTheFirstReasonAndTime_andAuditsOnce() {
        enter();
        LockdownState first = vault.state().lockdown();
        vault.clock().advance(java.time.Duration.ofMinutes(5));

        LockdownState second = vault.enterLockdown().execute(new EnterLockdown.Request("again", "owner"));

        assertThat(second).isEqualTo(first);
        assertThat(vault.audit().eventsOfType(AuditEvent.LOCKDOWN_ENTER)).hasSize(1);
    }

    @Test
    void store_duringLockdown_isRefusedWithAccessLockdown_andStoresNothing() {
        enter();

        try (Plaintext p = Plaintext.adopt("x".getBytes(StandardCharsets.UTF_8))) {
            StoreMemory.Request r = new StoreMemory.Request(p, Classification.WORKING, InMemoryVault.PROFILE, AccessPolicy.DEFAULT,
                    Metadata.EMPTY, List.of(), new org.memoryvault.domain.model.Requester.Owner());
            assertThatThrownBy(() -> vault.storeMemory().execute(r))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        }
        assertThat(vault.memories().count()).isZero();
    }

    @Test
    void recall_duringLockdown_isRefusedWithAccessLockdown_beforeAnyOtherGate() {
        MemoryId id = vault.store("x", Classification.SEALED);
        enter();

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        assertThat(vault.boundary().checked()).isEmpty();
        assertThat(vault.approval().requests()).isEmpty();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("gate", "lockdown");
    }

    @Test
    void exit_withTheOwnersSecret_endsLockdown_andStoreAndRecallWorkAgain() {
        MemoryId id = vault.store("x", Classification.WORKING);
        enter();

        vault.exitLockdown().execute(exit());

        assertThat(vault.state().lockdown().active()).isFalse();
        assertThat(vault.state().lockdown().by()).contains("owner");
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.LOCKDOWN_EXIT);
        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("x");
        vault.store("y", Classification.WORKING);
    }

    @Test
    void exit_provesTheSecretNow_evenWhenTheKeyIsCached() {
        enter();
        vault.keys().dataKey(InMemoryVault.PROFILE);                      // unlocked again during lockdown
        vault.secrets().forget(SlotType.PASSPHRASE);

        assertThatThrownBy(() -> vault.exitLockdown().execute(exit()))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));
        assertThat(vault.state().lockdown().active()).isTrue();
    }

    @Test
    void exit_withATokenEnrolled_needsItPresent_withTheOwnersKey_andAuditsTheRefusal() {
        enter();
        vault.presence().enrolled(true);
        vault.presence().answer(false, "test: no code given");

        assertThatThrownBy(() -> vault.exitLockdown().execute(exit()))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_TOKEN));
        assertThat(vault.state().lockdown().active()).isTrue();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("code", "ACCESS_TOKEN");
        assertThat(vault.presence().withOwnerKey()).as("the verifier got the owner key the exit proved").containsExactly(true);

        vault.presence().answer(true, "test: touched");
        vault.exitLockdown().execute(exit());
        assertThat(vault.state().lockdown().active()).isFalse();
    }

    @Test
    void exit_withNoTokenEnrolled_doesNotAskForOne() {
        enter();
        vault.exitLockdown().execute(exit());
        assertThat(vault.presence().asked()).isEmpty();
    }

    @Test
    void exit_withAWrongSecret_isAccessWrongSecret_auditedAsExitRefused_andStaysInLockdown() {
        enter();
        vault.secrets().usePassphrase("wrong horse");

        assertThatThrownBy(() -> vault.exitLockdown().execute(exit()))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));

        assertThat(vault.state().lockdown().active()).isTrue();
        AuditEvent refused = vault.audit().last().orElseThrow();
        assertThat(refused.type()).isEqualTo("lockdown.exit.refused");
        assertThat(refused.fields()).containsEntry("code", "ACCESS_WRONG_SECRET").containsEntry("by", "owner")
                .containsEntry("profile", "default");
        assertThat(vault.audit().events().toString()).doesNotContain("wrong horse");
    }

    @Test
    void exit_whenNotInLockdown_isInputState() {
        assertThatThrownBy(() -> vault.exitLockdown().execute(exit()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));
    }

    @Test
    void exit_withASecretOfAnotherProfile_isRefused_evenIfTheCallerMadeThatProfile() {
        try (var mine = org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret("my own passphrase")) {
            vault.createProfile().execute(new CreateProfile.Request(org.memoryvault.domain.model.ProfileId.of("mine"),
                    List.of(new NewSlot("mine", mine))));
        }
        enter();
        vault.secrets().usePassphrase("my own passphrase");

        assertThatThrownBy(() -> vault.exitLockdown().execute(new ExitLockdown.Request(
                org.memoryvault.domain.model.ProfileId.of("mine"), "agent")))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
        assertThat(vault.state().lockdown().active()).isTrue();
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.LOCKDOWN_EXIT_REFUSED);
    }

    @Test
    void duringLockdown_profilesAndKeySlotsAreFrozen() {
        enter();
        try (var s = org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret("another passphrase")) {
            assertThatThrownBy(() -> vault.createProfile().execute(new CreateProfile.Request(
                    org.memoryvault.domain.model.ProfileId.of("mine"), List.of(new NewSlot("mine", s)))))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
            assertThatThrownBy(() -> vault.addKeySlot().execute(new AddKeySlot.Request(InMemoryVault.PROFILE, new NewSlot("x", s))))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        }
        assertThatThrownBy(() -> vault.unlockProfile().execute(new UnlockProfile.Request(InMemoryVault.PROFILE, false)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        assertThat(vault.profiles().list()).hasSize(1);
    }

    @Test
    void duringLockdown_approvingRemovingASlotAndRewrapping_areFrozen_andChangeNothing() {
        vault.principals().with("planner", org.memoryvault.domain.model.Classification.VAULTED);
        org.memoryvault.domain.model.MemoryId id = vault.store("sealed plans", org.memoryvault.domain.model.Classification.SEALED);
        RecallMemory recall = vault.recallMemory(vault.approvalQueue(), List.of(), java.util.Optional.empty());
        String approval = org.junit.jupiter.api.Assertions.assertThrows(org.memoryvault.domain.error.ApprovalPendingException.class,
                () -> recall.execute(new RecallMemory.Request(id, vault.requester("planner"), "plans", java.util.Optional.empty())))
                .approvalId();
        try (var s = org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret("a second passphrase")) {
            vault.addKeySlot().execute(new AddKeySlot.Request(InMemoryVault.PROFILE, new NewSlot("second", s)));
        }
        int slots = vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots().size();
        enter();
        int events = vault.audit().size();

        assertThatThrownBy(() -> vault.decideApproval().execute(new DecideApproval.Request(approval, true, java.util.Optional.empty(), "owner")))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 1)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        try (var s = org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret("a third passphrase")) {
            assertThatThrownBy(() -> vault.rewrapProfile().execute(new RewrapProfile.Request(InMemoryVault.PROFILE, 1, new NewSlot("third", s))))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN));
        }

        assertThat(vault.approvals().find(approval).orElseThrow().status()).isEqualTo(org.memoryvault.domain.model.Approval.Status.PENDING);
        assertThat(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots()).hasSize(slots);
        assertThat(vault.audit().size()).as("nothing happened, so nothing was audited").isEqualTo(events);
    }

    @Test
    void lockdownEnteredWhileAStoreIsBeingSealed_storesNothing() {
        vault.cache().forgetAll();                        // the store must ask for the secret while it seals
        org.memoryvault.domain.port.SecretProvider entersLockdown = (profile, slot, input) -> {
            enter();
            return vault.secrets().secretFor(profile, slot, input);
        };
        KeyAccess keys = new KeyAccess(vault.profiles(), vault.keySource(), vault.cache(), vault.sessions(), entersLockdown,
                vault.settings(), vault.sealer());
        StoreMemory store = new StoreMemory(vault.memories(), vault.state(), keys, vault.settings(), vault.sealer(), vault.audit(),
                vault.tx(), vault.clock(), new java.util.SplittableRandom(1));
        int memories = vault.memories().page(java.util.Optional.empty(), 100).size();

        try (org.memoryvault.domain.model.Plaintext p = org.memoryvault.domain.model.Plaintext.adopt("late".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> store.execute(new StoreMemory.Request(p, org.memoryvault.domain.model.Classification.WORKING,
                    InMemoryVault.PROFILE, org.memoryvault.domain.model.AccessPolicy.DEFAULT, org.memoryvault.domain.model.Metadata.EMPTY,
                    List.of(), new org.memoryvault.domain.model.Requester.Owner())))
                    .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN);
                        assertThat(e.getMessage()).contains("entered lockdown");
                    });
        }
        assertThat(vault.memories().page(java.util.Optional.empty(), 100)).hasSize(memories);
        assertThat(vault.audit().eventsOfType(AuditEvent.STORE)).isEmpty();
    }

    @Test
    void lockdownEnteredWhileARecallAsksTheGates_deliversNothing() {
        org.memoryvault.domain.model.MemoryId id = vault.store("working notes", org.memoryvault.domain.model.Classification.WORKING);
        org.memoryvault.domain.port.BoundaryGuard entersLockdown = level -> {
            enter();
            return org.memoryvault.domain.port.BoundaryGuard.Decision.permit("test");
        };
        RecallMemory recall = new RecallMemory(vault.memories(), vault.state(), new RecallMemory.Gates(entersLockdown,
                vault.approval(), vault.presence()), vault.keys(), vault.ownerProof(), vault.settings(), vault.sealer(), vault.audit(),
                vault.tx(), vault.clock());
        assertThatThrownBy(() -> recall.execute(new RecallMemory.Request(id, vault.requester(InMemoryVault.OWNER), "now",
                java.util.Optional.empty())))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_LOCKDOWN);
                    assertThat(e.getMessage()).contains("entered lockdown during the recall");
                });
        assertThat(vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).isEmpty();
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("gate", "lockdown")
                .containsEntry("code", ErrorCode.ACCESS_LOCKDOWN.name());
        assertThat(vault.memories().find(id).orElseThrow().lastRecalledAt()).as("no recall was recorded").isEmpty();
    }
}
