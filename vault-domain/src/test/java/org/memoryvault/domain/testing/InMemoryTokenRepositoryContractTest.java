package org.memoryvault.domain.testing;

/** The fake token store the hardware tests use passes the contract the SQLite one passes. */
class InMemoryTokenRepositoryContractTest extends TokenRepositoryContract {
    @Override protected Subject newStore() { return new Subject(new InMemoryTokenRepository(), () -> { }); }
}
