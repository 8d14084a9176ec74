package org.memoryvault.audit;

import org.memoryvault.domain.testing.AuditStoreContract;

/** The audit tests' in-memory store passes the contract the SQLite store passes. */
class InMemoryAuditStoreContractTest extends AuditStoreContract {
    @Override protected Subject newStore() { return new Subject(new InMemoryAuditStore(), new DirectTransactions(), () -> { }); }
}
