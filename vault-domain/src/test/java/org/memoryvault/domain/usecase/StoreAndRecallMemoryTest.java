package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.testing.InMemoryVault;
import org.memoryvault.domain.testing.ScriptedApprovalGate;

/** StoreMemory and RecallMemory together, through the in-memory vault and the test crypto. */
class StoreAndRecallMemoryTest {
    private InMemoryVault vault;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
    }

    private static Plaintext text(String s) { return Plaintext.adopt(s.getBytes(StandardCharsets.UTF_8)); }

    private StoreMemory.Request request(Plaintext content, Classification c) {
        return new StoreMemory.Request(content, c, InMemoryVault.PROFILE, AccessPolicy.DEFAULT,
                new Metadata("{\"topic\":\"keys\"}"), List.of("intent-7"), new org.memoryvault.domain.model.Requester.Owner());
    }

    @Test
    void store_thenRecall_returnsTheContent_andAuditsBoth() {
        var agent = vault.requester(InMemoryVault.AGENT);
        StoreMemory.Stored stored;
        try (Plaintext p = text("the spare key is under the blue pot")) {
            stored = vault.storeMemory().execute(request(p, Classification.PRIVATE));
        }
        vault.clock().advance(Duration.ofMinutes(3));

        RecallMemory.Recalled r = vault.recallMemory().execute(
                new RecallMemory.Request(stored.id(), agent, "user asked where the key is", Optional.empty()));

        try (Plaintext p = r.plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("the spare key is under the blue pot");
        }
        assertThat(r.memory().lastRecalledAt()).contains(vault.clock().instant());
        assertThat(vault.memories().find(stored.id()).orElseThrow().lastRecalledAt()).contains(vault.clock().instant());
        List<AuditEvent> events = vault.audit().events();
        assertThat(events).extracting(AuditEvent::type)
                .containsExactly(AuditEvent.PROFILE_CREATE, AuditEvent.PRINCIPAL_ADD, AuditEvent.STORE, AuditEvent.RECALL_GRANTED);
        assertThat(stored.auditIndex()).isEqualTo(2);
        assertThat(r.auditIndex()).isEqualTo(3);
        assertThat(events.get(2).fields()).containsEntry("memory_id", stored.id().toString()).containsEntry("classification", 2L)
                .containsEntry("profile", "default").containsEntry("created_by", InMemoryVault.OWNER);
        assertThat(events.get(3).fields()).containsEntry("memory_id", stored.id().toString())
                .containsEntry("requester", InMemoryVault.AGENT).containsEntry("justification", "user asked where the key is");
    }

    @Test
    void store_keepsEveryRequestedField_andNeverThePlaintext() {
        MemoryId id;
        try (Plaintext p = text("plaintext-marker-5521")) {
            id = vault.storeMemory().execute(request(p, Classification.SEALED)).id();
        }

        Memory m = vault.memories().find(id).orElseThrow();
        assertThat(m.classification()).isEqualTo(Classification.SEALED);
        assertThat(m.profile()).isEqualTo(InMemoryVault.PROFILE);
        assertThat(m.metadata().json()).isEqualTo("{\"topic\":\"keys\"}");
        assertThat(m.intentRefs()).containsExactly("intent-7");
        assertThat(m.createdBy()).isEqualTo(InMemoryVault.OWNER);
        assertThat(m.createdAt()).isEqualTo(vault.clock().instant());
        assertThat(new String(m.sealed().orElseThrow().ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("plaintext-marker");
        assertThat(vault.audit().events().toString()).doesNotContain("plaintext-marker");
    }

    @Test
    void store_doesNotCloseTheCallersPlaintext() {
        Plaintext p = text("still mine");
        vault.storeMemory().execute(request(p, Classification.WORKING));

        assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("still mine");
        p.close();
    }

    @Test
    void store_contentOverTheMaximum_isInputContentTooLarge_withNothingStoredOrAudited() {
        vault = InMemoryVault.create(new VaultSettings(Duration.ofHours(24), 16, Duration.ofMinutes(15),
                VaultSettings.DEFAULTS.kdfPreset()));
        vault.createDefaultProfile();
        int auditBefore = vault.audit().size();

        try (Plaintext ok = Plaintext.adopt(new byte[16])) {
            vault.storeMemory().execute(request(ok, Classification.WORKING));
        }
        assertThat(vault.memories().count()).isEqualTo(1);
        try (Plaintext big = Plaintext.adopt(new byte[17])) {
            assertThatThrownBy(() -> vault.storeMemory().execute(request(big, Classification.WORKING)))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONTENT_TOO_LARGE));
        }

        assertThat(vault.memories().count()).isEqualTo(1);
        assertThat(vault.audit().size()).isEqualTo(auditBefore + 1);
    }

    @Test
    void storeAll_isAllOrNothing_whenTheAuditLogFails() {
        vault.audit().failNextAppend(new IllegalStateException("disk full"));
        int auditBefore = vault.audit().size();

        try (Plaintext a = text("first"); Plaintext b = text("second")) {
            assertThatThrownBy(() -> vault.storeMemory().executeAll(List.of(request(a, Classification.WORKING),
                    request(b, Classification.WORKING)))).isInstanceOf(IllegalStateException.class);
        }

        assertThat(vault.memories().count()).isZero();
        assertThat(vault.audit().size()).isEqualTo(auditBefore);
    }

    @Test
    void store_intoAnUnknownProfile_isNotFoundProfile() {
        try (Plaintext p = text("x")) {
            StoreMemory.Request r = new StoreMemory.Request(p, Classification.WORKING, ProfileId.of("nope"), AccessPolicy.DEFAULT,
                    Metadata.EMPTY, List.of(), new org.memoryvault.domain.model.Requester.Owner());
            assertThatThrownBy(() -> vault.storeMemory().execute(r))
                    .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_PROFILE));
        }
        assertThat(vault.memories().count()).isZero();
    }

    @Test
    void recall_sealedLevel_approved_recordsWhoApproved_andAsksTheHumanWithTheJustification() {
        MemoryId id = vault.store("launch codes", Classification.SEALED);
        vault.approval().always(ScriptedApprovalGate.approved("alice"));
        vault.principals().with("deputy", Classification.VAULTED);

        RecallMemory.Recalled r = vault.recallMemory().execute(
                new RecallMemory.Request(id, vault.requester("deputy"), "annual drill", Optional.of("appr-9")));
        try (Plaintext p = r.plaintext()) {
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("launch codes");
        }

        assertThat(vault.approval().requests()).singleElement().satisfies(q -> {
            assertThat(q.justification()).isEqualTo("annual drill");
            assertThat(q.requester()).isEqualTo("deputy");
            assertThat(q.approvalId()).contains("appr-9");
        });
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("approved_by", "alice");
    }

    @Test
    void recall_pendingApproval_isApprovalPending_andDecryptsNothing() {
        MemoryId id = vault.store("launch codes", Classification.VAULTED);
        vault.approval().always(ScriptedApprovalGate.pending("appr-1", vault.clock().instant().plusSeconds(600)));
        vault.principals().with("deputy", Classification.VAULTED);

        assertThatThrownBy(() -> vault.recall(id, "deputy"))
                .isInstanceOfSatisfying(ApprovalPendingException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.APPROVAL_PENDING);
                    assertThat(e.getMessage()).contains("appr-1");
                });
        assertThat(vault.sealer().openCalls()).isZero();
        assertThat(vault.memories().find(id).orElseThrow().lastRecalledAt()).isEmpty();
    }

    @Test
    void recall_blackLevel_withApprovalAndToken_isGranted() {
        MemoryId id = vault.store("the last secret", Classification.BLACK);
        vault.approval().always(ScriptedApprovalGate.approved("alice"));
        vault.presence().answer(true, "touched");

        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("the last secret");
        assertThat(vault.presence().asked()).containsExactly("recall of memory " + id + " (level 5)");
        assertThat(vault.presence().withOwnerKey()).as("the owner's recall brings the owner key (token secrets open with it)").containsExactly(true);
    }

    @Test
    void recall_afterTheUnlockExpires_unlocksAgainWithTheSecret() {
        MemoryId id = vault.store("note", Classification.WORKING);
        vault.clock().advance(vault.settings().unlockTtl().plusSeconds(1));
        int before = vault.keySource().unwrapCalls(org.memoryvault.domain.model.SlotType.PASSPHRASE);

        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("note");
        assertThat(vault.keySource().unwrapCalls(org.memoryvault.domain.model.SlotType.PASSPHRASE)).isEqualTo(before + 1);
    }

    @Test
    void recall_lockedProfile_withoutASecret_isInputSecretMissing_andAudited() {
        MemoryId id = vault.store("note", Classification.WORKING);
        vault.lockProfile().execute(new LockProfile.Request(Optional.of(InMemoryVault.PROFILE)));
        vault.secrets().forget(org.memoryvault.domain.model.SlotType.PASSPHRASE);

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));
        assertThat(vault.audit().last().orElseThrow().fields())
                .containsEntry("gate", "decryption").containsEntry("code", "INPUT_SECRET_MISSING");
    }

    @Test
    void recall_ofAMemoryWhoseBoundFieldsWereEdited_isIntegrityTampered_andAudited() {
        MemoryId id = vault.store("level one only", Classification.WORKING);
        Memory stored = vault.memories().find(id).orElseThrow();
        vault.memories().tamper(new Memory(stored.id(), stored.createdAt(), "someone-else", stored.classification(),
                stored.profile(), stored.keyVersion(), stored.policy(), stored.metadata(), stored.intentRefs(), stored.commitment(),
                stored.sealed(), stored.tombstone(), stored.lastRecalledAt()));

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.RECALL_REFUSED);
        assertThat(vault.audit().last().orElseThrow().fields())
                .containsEntry("gate", "decryption").containsEntry("code", "INTEGRITY_TAMPERED");
        assertThat(vault.memories().find(id).orElseThrow().lastRecalledAt()).isEmpty();
    }

    @Test
    void recall_ofAMemoryDowngradedInTheDatabase_isIntegrityTampered() {
        MemoryId id = vault.store("top secret", Classification.SEALED);
        Memory stored = vault.memories().find(id).orElseThrow();
        vault.memories().tamper(new Memory(stored.id(), stored.createdAt(), stored.createdBy(), Classification.WORKING,
                stored.profile(), stored.keyVersion(), stored.policy(), stored.metadata(), stored.intentRefs(), stored.commitment(),
                stored.sealed(), stored.tombstone(), stored.lastRecalledAt()));

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.AGENT))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }

    @Test
    void recall_withAFlippedCiphertextByte_isIntegrityTampered() {
        MemoryId id = vault.store("flip me", Classification.WORKING);
        Memory stored = vault.memories().find(id).orElseThrow();
        SealedContent s = stored.sealed().orElseThrow();
        for (int i = 0; i < s.ciphertextLength(); i++) {
            byte[] ct = s.ciphertext();
            ct[i] ^= 0x01;
            vault.memories().tamper(new Memory(stored.id(), stored.createdAt(), stored.createdBy(), stored.classification(),
                    stored.profile(), stored.keyVersion(), stored.policy(), stored.metadata(), stored.intentRefs(), stored.commitment(),
                    Optional.of(new SealedContent(s.nonce(), ct)), stored.tombstone(), stored.lastRecalledAt()));
            assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER)).as("flipped byte %d", i)
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
        }
    }

    @Test
    void recall_withAForeignCommitment_isIntegrityTampered() {
        MemoryId id = vault.store("mine", Classification.WORKING);
        MemoryId other = vault.store("theirs", Classification.WORKING);
        Memory stored = vault.memories().find(id).orElseThrow();
        vault.memories().tamper(new Memory(stored.id(), stored.createdAt(), stored.createdBy(), stored.classification(),
                stored.profile(), stored.keyVersion(), stored.policy(), stored.metadata(), stored.intentRefs(),
                vault.memories().find(other).orElseThrow().commitment(), stored.sealed(), stored.tombstone(), stored.lastRecalledAt()));

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }

    @Test
    void recall_ofAMemoryUnderAnotherKeyVersion_isIntegrityWrongKey() {
        MemoryId id = vault.store("old", Classification.WORKING);
        Memory stored = vault.memories().find(id).orElseThrow();
        vault.memories().tamper(new Memory(stored.id(), stored.createdAt(), stored.createdBy(), stored.classification(),
                stored.profile(), 2, stored.policy(), stored.metadata(), stored.intentRefs(), stored.commitment(),
                stored.sealed(), stored.tombstone(), stored.lastRecalledAt()));

        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_WRONG_KEY));
    }

    @Test
    void recallRequest_needsAJustification() {
        assertThatThrownBy(() -> new RecallMemory.Request(MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), new org.memoryvault.domain.model.Requester.Owner(), "  ",
                Optional.empty())).isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
    }
}
