package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;

class KeyFilesTest {
    @TempDir Path tmp;

    @Test
    void generate_writes32RandomBytes_0600_inANew0700Directory() throws IOException {
        Path file = tmp.resolve("keys/sub/vault.key");
        byte[] returned;
        try (SlotSecret s = KeyFiles.generate(file)) {
            assertThat(s.type()).isEqualTo(SlotType.KEY_FILE);
            returned = s.revealForCrypto().clone();
        }
        assertThat(Files.readAllBytes(file)).hasSize(32).isEqualTo(returned).isNotEqualTo(new byte[32]);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void generate_twice_givesDifferentKeys_andNeverOverwrites() throws IOException {
        Path a = tmp.resolve("a.key");
        KeyFiles.generate(a).close();
        byte[] before = Files.readAllBytes(a);
        assertThatThrownBy(() -> KeyFiles.generate(a)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_KEY_FILE));
        assertThat(Files.readAllBytes(a)).isEqualTo(before);
        Path b = tmp.resolve("b.key");
        KeyFiles.generate(b).close();
        assertThat(Files.readAllBytes(b)).isNotEqualTo(before);
    }

    @Test
    void load_returnsTheGeneratedBytes() throws IOException {
        Path file = tmp.resolve("vault.key");
        KeyFiles.generate(file).close();
        try (SlotSecret s = KeyFiles.load(file)) {
            assertThat(s.type()).isEqualTo(SlotType.KEY_FILE);
            assertThat(s.revealForCrypto()).isEqualTo(Files.readAllBytes(file));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rwx------", "rw-rw-rw-"})
    void load_refusesPermissionsWiderThan0600(String perms) throws IOException {
        Path file = tmp.resolve("vault.key");
        KeyFiles.generate(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        assertRefused(file, "permissions must be 0600 or stricter");
    }

    @Test
    void load_accepts0400() throws IOException {
        Path file = tmp.resolve("vault.key");
        KeyFiles.generate(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        try (SlotSecret s = KeyFiles.load(file)) {
            assertThat(s.revealForCrypto()).hasSize(32);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64, 100_000})
    void load_refusesAnySizeBut32(int size) throws IOException {
        Path file = tmp.resolve("wrong.key");
        Files.write(file, new byte[size]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertRefused(file, "key file must be exactly 32 bytes");
    }

    @Test
    void load_refusesAMissingFile() {
        assertRefused(tmp.resolve("nope.key"), "not found");
    }

    @Test
    void load_refusesADirectory() {
        assertRefused(tmp, "not a regular file");
    }

    private static void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> KeyFiles.load(file)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_KEY_FILE);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
