package org.memoryvault.domain.testing;

/** Holds the in-memory fake to the same contract as the real adapter. */
class InMemoryApprovalRepositoryContractTest extends ApprovalRepositoryContract {
    @Override
    protected ApprovalStore newStore() {
        InMemoryTransactions tx = new InMemoryTransactions();
        return new ApprovalStore(tx.register(new InMemoryApprovalRepository()), tx, () -> { });
    }
}
