package org.memoryvault.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.KdfPreset;

/** A long-running process signs checkpoints on its own, without a command ending. */
class PeriodicCheckpointTest {
    @TempDir Path tmp;

    @Test
    void aGrownLog_getsACheckpointWithinTheInterval() throws Exception {
        VaultOptions options = new VaultOptions(tmp.resolve("vault"), Optional.empty(), Optional.empty(), Map.of());
        try (Vault vault = Vault.init(options, Optional.of(KdfPreset.INTERACTIVE))) {
            vault.config().set("audit.checkpoint-interval", "1s");
            vault.createProfile("p", true, Optional.empty(), false, Optional.empty());
            assertThat(vault.component().auditCheckpoints().latestCheckpoint()).isEmpty();

            vault.startPeriodicCheckpoints();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (vault.component().auditCheckpoints().latestCheckpoint().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);

            assertThat(vault.component().auditCheckpoints().latestCheckpoint()).isPresent();
            assertThat(vault.component().auditCheckpoints().latestCheckpoint().get().treeSize()).as("profile.create and its owner.seal").isEqualTo(2);
        }
    }
}
