package org.memoryvault.domain.testing;

/** The fake principal store the use-case tests use passes the contract the SQLite one passes. */
class InMemoryPrincipalRepositoryContractTest extends PrincipalRepositoryContract {
    @Override protected Subject newStore() {
        InMemoryTransactions tx = new InMemoryTransactions();
        return new Subject(tx.register(new InMemoryPrincipalRepository()), tx.register(new InMemoryProfileRepository()), tx, () -> { });
    }
}
