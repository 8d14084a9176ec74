package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.testing.InMemoryVault;

/** {@code verify --deep} reads the store page by page (500 at a time) and checks every memory, not the first page only. */
class VerifyMemoriesPagingTest {
    @Test
    void everyMemory_isChecked_acrossSeveralPages() {
        InMemoryVault vault = InMemoryVault.create();
        vault.createDefaultProfile();
        int n = 1203;                                             // two full pages and a part
        for (int i = 0; i < n; i++) vault.store("memory " + i, Classification.WORKING);
        List<VerifyMemories.Progress> seen = new ArrayList<>();

        VerifyMemories.Report report = new VerifyMemories(vault.memories(), vault.keys(), vault.ownerProof(), vault.sealer(),
                vault.audit(), vault.tx(), vault.clock()).execute(seen::add);

        assertThat(report.checked()).isEqualTo(n);
        assertThat(report.damaged()).isEmpty();
        assertThat(report.skipped() + report.unreachable()).isZero();
    }
}
