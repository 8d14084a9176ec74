package org.memoryvault.domain.testing;

/** Holds the in-memory fake to the same contract as the real adapter. */
class InMemoryProfileRepositoryContractTest extends ProfileRepositoryContract {
    @Override
    protected StorageFixture newFixture() { return StorageFixture.inMemory(); }
}
