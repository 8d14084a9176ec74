package org.memoryvault.domain.testing;

/** The fake refusal history passes the same contract as the one over the real audit log. */
class InMemoryRefusalHistoryContractTest extends RefusalHistoryContract {
    @Override protected Subject newHistory() {
        InMemoryTransactions tx = new InMemoryTransactions();
        InMemoryAuditLog log = tx.register(new InMemoryAuditLog());
        return new Subject(log, new InMemoryRefusalHistory(log), tx, () -> { });
    }
}
