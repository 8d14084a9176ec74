package org.memoryvault.hardware.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.InvalidInputException;

/** The TPM NV counter against a real software TPM (swtpm): defined once, certified reads, only up, and another TPM refused. */
@org.junit.jupiter.api.Tag("tpm")
class TpmRollbackCounterTest {
    private static final int INDEX = 0x01500016;
    @TempDir Path tmp;

    @BeforeAll static void swtpm() { Swtpm.assumeInstalled(); }

    @Test
    void aDefinedCounterReadsCertified_goesUpByOne_andDefiningAgainChangesNothing() {
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            String[] defined = TpmRollbackCounter.define(tpm.device(), INDEX);
            assertThat(defined[0]).matches("0x01500016:[0-9a-f]{64}");
            TpmRollbackCounter counter = TpmRollbackCounter.fromSetting(tpm.device(), defined[0], new SecureRandom());
            long start = Long.parseLong(defined[1]);
            assertThat(counter.read()).isEqualTo(start);
            assertThat(counter.increment()).isEqualTo(start + 1);
            assertThat(counter.read()).isEqualTo(start + 1);
            String[] again = TpmRollbackCounter.define(tpm.device(), INDEX);
            assertThat(again[0]).as("the same TPM, the same attestation key").isEqualTo(defined[0]);
            assertThat(Long.parseLong(again[1])).isEqualTo(start + 1);
            assertThat(counter.name()).contains("tpm-nv:0x01500016");
        }
    }

    @Test
    void anotherTpmWithACounterAtTheSameIndexIsRefused() {
        String setting;
        try (Swtpm tpm = Swtpm.start(tmp.resolve("one"))) {
            setting = TpmRollbackCounter.define(tpm.device(), INDEX)[0];
        }
        try (Swtpm fake = Swtpm.start(tmp.resolve("two"))) {
            TpmRollbackCounter.define(fake.device(), INDEX);
            TpmRollbackCounter counter = TpmRollbackCounter.fromSetting(fake.device(), setting, new SecureRandom());
            assertThatThrownBy(counter::read).isInstanceOf(AccessRefusedException.class).hasMessageContaining("attestation key differs");
        }
    }

    @Test
    void anUndefinedCounterIsAClearRefusal_andBadSettingsAreInputErrors() {
        try (Swtpm tpm = Swtpm.start(tmp.resolve("tpm"))) {
            String setting = TpmRollbackCounter.define(tpm.device(), INDEX)[0];
            String elsewhere = "0x01500017" + setting.substring(10);
            assertThatThrownBy(() -> TpmRollbackCounter.fromSetting(tpm.device(), elsewhere, new SecureRandom()).read())
                    .isInstanceOf(AccessRefusedException.class).hasMessageContaining("counter define");
        }
        assertThatThrownBy(() -> TpmRollbackCounter.parseIndex("0x81000001")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TpmRollbackCounter.fromSetting("x", "0x01500016", new SecureRandom())).isInstanceOf(InvalidInputException.class);
    }
}
