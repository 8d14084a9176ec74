package org.memoryvault.adapters.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.ApprovalGate;
import java.nio.charset.StandardCharsets;

/** The terminal gate with a scripted human at the lowest layer (the channel), and with no terminal at all. */
class TerminalApprovalGateTest {
    static final Memory MEMORY = new Memory(MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), Instant.parse("2026-01-01T00:00:00Z"),
            "agent", Classification.SEALED, ProfileId.of("default"), 1, AccessPolicy.DEFAULT, new Metadata("{\"topic\":\"plans\"}"),
            List.of(), new ContentCommitment("0".repeat(64)), Optional.empty(), Optional.empty(), Optional.empty());

    static ApprovalGate.Request request(String justification) {
        return new ApprovalGate.Request(MEMORY, "agent-7", justification, Optional.empty(), Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    void theTypedAnswer_isPassedOnAsTheOwnersSecret_andTheHumanSawWhoWhatAndWhy() {
        List<String> shown = new ArrayList<>();
        ApprovalGate.Decision d = new TerminalApprovalGate(text -> {
            shown.add(text);
            return Optional.of("owner passphrase".toCharArray());
        }).decide(request("draft the contract"));

        assertThat(d).isInstanceOf(ApprovalGate.Approved.class);
        ApprovalGate.Approved a = (ApprovalGate.Approved) d;
        assertThat(a.ownerSecret()).as("the answer is a secret to prove, not a verdict").isPresent();
        try (SlotSecret secret = a.ownerSecret().get()) {
            assertThat(secret.type()).isEqualTo(SlotType.PASSPHRASE);
            assertThat(new String(secret.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("owner passphrase");
        }
        assertThat(shown).singleElement().asString().contains("agent-7").contains(MEMORY.id().toString())
                .contains("classification: 3 (sealed)").contains("{\"topic\":\"plans\"}").contains("draft the contract")
                .contains("not verified").contains("owner passphrase of profile default");
    }

    @Test
    void anEmptyAnswer_denies() {
        assertThat(new TerminalApprovalGate(text -> Optional.of(new char[0])).decide(request("x")))
                .isInstanceOf(ApprovalGate.Denied.class);
    }

    @Test
    void noHumanChannel_denies() {
        ApprovalGate.Decision d = new TerminalApprovalGate(text -> Optional.empty()).decide(request("x"));
        assertThat(d).isEqualTo(new ApprovalGate.Denied("no terminal to ask a human on"));
    }

    @Test
    void controlCharactersInUserText_neverReachTheTerminal() {
        List<String> shown = new ArrayList<>();
        new TerminalApprovalGate(text -> {
            shown.add(text);
            return Optional.of(new char[0]);
        }).decide(request("innocent\u001b[2J\u001b[1;1Happroved by owner\r \u202edetaler\u202c"));
        assertThat(shown.get(0)).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u202e");
    }

    @Test
    void aMissingTerminalDevice_orARegularFile_isNoChannel(@TempDir Path tmp) throws Exception {
        assertThat(new DevTtyChannel(tmp.resolve("no-tty")).askSecret("approve?")).isEmpty();
        assertThat(tmp.resolve("no-tty")).doesNotExist();
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("file"), "yes\n");
        assertThat(new DevTtyChannel(file).askSecret("approve?")).as("a planted file is not a human").isEmpty();
    }
}
