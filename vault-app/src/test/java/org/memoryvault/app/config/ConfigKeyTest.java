package org.memoryvault.app.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** Every value `vault config set` accepts is one the vault can use; anything else is INPUT_CONFIG (or a parse code). */
class ConfigKeyTest {
    static void refused(String key, String value) {
        assertThatThrownBy(() -> ConfigKey.validate(key, value)).as(key + " = " + value)
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void unknownKeys_andBadValues_areRefused() {
        assertThatThrownBy(() -> ConfigKey.validate("boundary.gaurd", "local"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG));
        refused("boundary.guard", "none");
        refused("approval.gate", "auto");
        refused("boundary.timeout", "0");
        refused("boundary.permit-cache", "6m");
        refused("anomaly.max-refusals-per-requester", "-1");
        refused("anomaly.enabled", "yes");
        refused("kdf.preset", "weak");
        refused("principals.agent", "3");
        refused("recall.default-requester", "owner");
        refused("approval.owner-secret", "any");
        refused("content.max-bytes", "lots");
    }

    @Test
    void retiredKeys_inAnOldConfig_areIgnoredWithANote_andDroppedOnTheNextSave(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("config.toml"), "[principals]\nagent-7 = 3\nowner = 5\n[recall]\n"
                + "default-requester = \"agent-7\"\n[approval]\ngate = \"queue\"\n");
        VaultConfig config = VaultConfig.load(dir);
        org.assertj.core.api.Assertions.assertThat(config.retired()).containsOnlyKeys("principals.agent-7", "principals.owner",
                "recall.default-requester");
        org.assertj.core.api.Assertions.assertThat(config.retired().get("principals.agent-7")).contains("vault principal add");
        org.assertj.core.api.Assertions.assertThat(config.get(ConfigKey.APPROVAL_GATE)).isEqualTo("queue");
        config.set("approval.ttl", "5m");
        org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(dir.resolve("config.toml")))
                .doesNotContain("principals").contains("queue");
    }

    @Test
    void documentedValues_areAccepted() {
        assertThatCode(() -> {
            ConfigKey.validate("boundary.guard", "daemon");
            ConfigKey.validate("boundary.permit-cache", "5m");
            ConfigKey.validate("approval.gate", "queue");
            ConfigKey.validate("auditor.prompt-injection", "off");
            ConfigKey.validate("audit.checkpoint-interval", "30s");
        }).doesNotThrowAnyException();
    }

    @Test
    void everyValue_isCheckedForItsKeysType_andRefusedAsInputConfig() {
        String[][] bad = {
            {"principals.x.y", "3"}, {"principals.x", "3"},
            {"unlock.ttl", "soon"}, {"ephemeral.ttl", "1e9"}, {"storage.busy-timeout", "5 s"},
            {"content.max-bytes", "0"}, {"content.max-bytes", "9223372036854775807"}, {"content.max-bytes", "1.5"},
            {"anomaly.max-refusals-total", "99999999999"}, {"anomaly.window", "0"},
            {"boundary.socket", "api/boundary.sock"}, {"boundary.socket", " /run/x.sock"}, {"boundary.token-file", "token"},
            {"boundary.local.ignore-interfaces", "eth0;rm -rf"},
            {"approval.gate", "queue\n"}, {"anomaly.enabled", "TRUE"},
        };
        for (String[] kv : bad) {
            assertThatThrownBy(() -> ConfigKey.validate(kv[0], kv[1])).as(kv[0] + " = " + kv[1])
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG));
        }
        assertThatCode(() -> {
            ConfigKey.validate("boundary.socket", "");
            ConfigKey.validate("boundary.socket", "/run/boundary-daemon/boundary.sock");
            ConfigKey.validate("boundary.local.ignore-interfaces", "docker0, virbr0");
            ConfigKey.validate("content.max-bytes", "1048576");
        }).doesNotThrowAnyException();
    }

    @Test
    void aConfiguration_neverMixesATableAndAValue_andTheDaemonGuardNeedsASocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        VaultConfig config = VaultConfig.load(dir);
        config.set("approval.ttl", "5m");
        assertThatThrownBy(() -> config.set("approval.ttl.x", "3")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> config.set("boundary.guard", "daemon"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> org.assertj.core.api.Assertions.assertThat(e)
                        .hasMessageContaining("boundary.socket"));
        config.set("boundary.socket", "/run/boundary.sock");
        config.set("boundary.guard", "daemon");
        assertThatThrownBy(() -> config.set("boundary.socket", "")).isInstanceOf(InvalidInputException.class);
        org.assertj.core.api.Assertions.assertThat(VaultConfig.load(dir).get(ConfigKey.BOUNDARY_GUARD)).isEqualTo("daemon");
    }
}
