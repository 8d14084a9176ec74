package org.memoryvault.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.usecase.StoreMemory;
import org.memoryvault.domain.usecase.TombstoneMemory;

/**
 * The settings an owner ceremony acts on are the settings it seals: an agent that rewrites
 * config.toml while an owner command runs (as the same user, it can) gets the ceremony refused,
 * whether the file changed after the command read it or was put back before the seal was checked.
 */
class SettingsUnderTheCeremonyTest {
    @TempDir Path tmp;
    Path home;
    VaultOptions owner;

    @BeforeEach
    void init() throws Exception {
        home = tmp.resolve("vault");
        Path pass = tmp.resolve("owner.pass");
        Files.writeString(Files.createFile(pass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                "the owner's passphrase");
        owner = new VaultOptions(home, Optional.of(pass), Optional.empty(), Map.of());
        try (Vault v = Vault.init(owner, Optional.of(KdfPreset.INTERACTIVE))) {
            v.createProfile("default", true, Optional.empty(), true, Optional.of(pass));
            v.finish();
        }
    }

    private MemoryId store(Vault v) {
        try (Plaintext p = Plaintext.adopt("to retire".getBytes(StandardCharsets.UTF_8))) {
            return v.component().storeMemory().execute(new StoreMemory.Request(p, Classification.WORKING, ProfileId.of("default"),
                    AccessPolicy.DEFAULT, Metadata.EMPTY, List.of(), new Requester.Owner())).id();
        }
    }

    private void assertRefusedAndNothingTombstoned(Vault v, MemoryId id) {
        assertThatThrownBy(() -> v.component().tombstoneMemory().execute(new TombstoneMemory.Request(id, "retire", "owner", false)))
                .isInstanceOfSatisfying(IntegrityException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED);
                    assertThat(e.getMessage()).contains("config.toml");
                });
        assertThat(v.component().showMemory().execute(id).isTombstoned()).isFalse();
    }

    @Test
    void settingsRewrittenWhileTheCommandRuns_refuseTheCeremony() throws Exception {
        try (Vault v = Vault.open(owner)) {
            MemoryId id = store(v);
            Path config = home.resolve("config.toml");
            Files.writeString(config, Files.readString(config) + "lockdown.exit-secret = 'any'\n");   // the agent, meanwhile
            assertRefusedAndNothingTombstoned(v, id);
        }
    }

    @Test
    void settingsTheCommandReadButPutBackBeforeTheCheck_refuseTheCeremony() throws Exception {
        Path config = home.resolve("config.toml");
        String sealed = Files.readString(config);
        MemoryId id;
        try (Vault v = Vault.open(owner)) {
            id = store(v);
        }
        Files.writeString(config, sealed + "unlock.ttl = '8h'\nlockdown.exit-secret = 'any'\n");   // read at open ...
        try (Vault v = Vault.open(owner)) {
            Files.writeString(config, sealed);                                               // ... and put back
            assertRefusedAndNothingTombstoned(v, id);
        }
    }

    @Test
    void untouchedSettings_letTheCeremonyThrough() throws Exception {
        try (Vault v = Vault.open(owner)) {
            MemoryId id = store(v);
            v.component().tombstoneMemory().execute(new TombstoneMemory.Request(id, "retire", "owner", false));
            assertThat(v.component().showMemory().execute(id).isTombstoned()).isTrue();
        }
    }
}
