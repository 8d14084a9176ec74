package org.memoryvault.app.wiring;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.testing.RefusalHistoryContract;

/**
 * The refusal history the anomaly rule reads, as the vault wires it (the audit log's query columns
 * in a real vault.db), passes the contract of the fake the use-case tests use.
 */
class AuditRefusalHistoryContractTest extends RefusalHistoryContract {
    @TempDir Path dir;

    @Override protected Subject newHistory() {
        Vault vault = Vault.init(new VaultOptions(dir.resolve("vault"), Optional.empty(), Optional.empty(), Map.of()),
                Optional.of(KdfPreset.INTERACTIVE));
        VaultComponent c = vault.component();
        return new Subject(c.auditLog(), c.refusalHistory(), c.transactions(), vault);
    }
}
