package org.memoryvault.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.usecase.StoreMemory;
import org.memoryvault.domain.usecase.TombstoneMemory;

/**
 * An agent that edits owner-set rows after a command's start-up check, while the owner's ceremony
 * is still deriving the owner key, gets nothing sealed: the ceremony checks again inside its write
 * transaction (docs/FORMAT.md §12).
 */
class OwnerSealRaceTest {
    @TempDir Path tmp;

    @Test
    void anEditBetweenTheStartUpCheckAndTheCeremony_isRefused_andNothingIsSealed() throws Exception {
        Path home = tmp.resolve("vault");
        Path pass = tmp.resolve("owner.pass");
        Files.writeString(pass, "the owner's passphrase\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        VaultOptions options = new VaultOptions(home, Optional.of(pass), Optional.empty(), Map.of());
        MemoryId first;
        MemoryId second;
        try (Vault vault = Vault.init(options, Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createProfile("default", true, Optional.empty(), true, Optional.of(pass));
            first = store(vault, "first");
            second = store(vault, "second");
            vault.component().tombstoneMemory().execute(new TombstoneMemory.Request(first, "obsolete", "owner", false));
            vault.finish();
        }
        try (Vault vault = Vault.open(options)) {
            vault.component().ownerSeals().check();                      // the command's start-up check passes
            long seals = vault.component().ownerSeals().latest().orElseThrow().statement().seq();

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
                 Statement s = c.createStatement()) {                   // the agent, right after it
                s.execute("UPDATE memories SET tombstoned_at = NULL, tombstone_reason = NULL, tombstone_by = NULL "
                        + "WHERE id = '" + first + "'");
            }

            assertThatThrownBy(() -> vault.component().tombstoneMemory().execute(
                    new TombstoneMemory.Request(second, "done", "owner", false)))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED);
                        assertThat(e.getMessage()).contains("tombstones").contains("nothing was changed");
                    });
            assertThat(vault.component().ownerSeals().latest().orElseThrow().statement().seq()).as("no seal over the edit")
                    .isEqualTo(seals);
            assertThat(vault.component().showMemory().execute(second).isTombstoned()).as("and no tombstone either").isFalse();
            assertThat(vault.component().ownerSeals().problems()).anyMatch(p -> p.contains("tombstones"));
        }
    }

    private static MemoryId store(Vault vault, String text) {
        try (Plaintext p = Plaintext.adopt(text.getBytes(StandardCharsets.UTF_8))) {
            return vault.component().storeMemory().execute(new StoreMemory.Request(p, Classification.WORKING,
                    org.memoryvault.domain.model.ProfileId.of("default"), org.memoryvault.domain.model.AccessPolicy.DEFAULT,
                    Metadata.EMPTY, java.util.List.of(), new Requester.Owner())).id();
        }
    }
}
