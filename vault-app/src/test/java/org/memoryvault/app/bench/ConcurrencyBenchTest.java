package org.memoryvault.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;

/** {@code vault bench --concurrency} at a tiny size: every figure is there, and its check of the vault passes. */
class ConcurrencyBenchTest {
    @TempDir Path dir;

    @Test
    void reportsBothPaths_andFindsEveryStoreInTheVaultAndTheLog() {
        Map<String, Object> report = new ConcurrencyBench(new PrintStream(OutputStream.nullOutputStream()))
                .run(new ConcurrencyBench.Options(5, 4, Optional.of(dir)));

        assertThat(report).containsKeys("sqlite_commits_per_second", "one_caller", "4_callers", "4_callers_without_group_commit",
                "ratio_to_one_caller", "group_commit_gain");
        Map<?, ?> check = (Map<?, ?>) report.get("check");
        assertThat(check.get("stores_missing_from_vault")).isEqualTo(0L);
        assertThat(check.get("stores_missing_from_audit_log")).isEqualTo(0L);
        assertThat(check.get("stores_out_of_caller_order")).isEqualTo(0L);
        assertThat(check.get("audit_log_verifies")).isEqualTo(true);
        assertThat((Integer) check.get("stores_returned")).isGreaterThan(5 + 4 * 5);
        assertThat(dir).isEmptyDirectory();                      // the temporary vault is gone
    }

    @Test
    void aDirThatIsNotADirectory_isInvalidInput() {
        assertThatThrownBy(() -> new ConcurrencyBench(new PrintStream(OutputStream.nullOutputStream()))
                .run(new ConcurrencyBench.Options(5, 4, Optional.of(dir.resolve("missing")))))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
    }
}
