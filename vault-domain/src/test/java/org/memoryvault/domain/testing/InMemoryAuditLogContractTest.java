package org.memoryvault.domain.testing;

/** The fake audit log the use-case tests use passes the same contract as the Merkle log. */
class InMemoryAuditLogContractTest extends AuditLogContract {
    @Override protected Subject newLog() {
        InMemoryTransactions tx = new InMemoryTransactions();
        return new Subject(tx.register(new InMemoryAuditLog()), tx, () -> { });
    }
}
