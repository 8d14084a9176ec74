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
        refused("principals.agent", "7");
        refused("principals.bad name", "2");
        refused("content.max-bytes", "lots");
    }

    @Test
    void documentedValues_areAccepted() {
        assertThatCode(() -> {
            ConfigKey.validate("boundary.guard", "daemon");
            ConfigKey.validate("boundary.permit-cache", "5m");
            ConfigKey.validate("approval.gate", "queue");
            ConfigKey.validate("principals.agent-7", "3");
            ConfigKey.validate("auditor.prompt-injection", "off");
            ConfigKey.validate("audit.checkpoint-interval", "30s");
        }).doesNotThrowAnyException();
    }
}
