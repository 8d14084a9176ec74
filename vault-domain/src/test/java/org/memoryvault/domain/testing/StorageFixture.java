package org.memoryvault.domain.testing;

import java.util.Objects;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * The storage ports of one fresh, empty store, as the contract tests need them: repositories and
 * the {@link Transactions} they join. {@code onClose} releases the store (close a connection pool,
 * say); the contracts call {@link #close()} after each test.
 */
public record StorageFixture(MemoryRepository memories, ProfileRepository profiles, VaultStateRepository state,
                             Transactions tx, AutoCloseable onClose) implements AutoCloseable {
    public StorageFixture {
        Objects.requireNonNull(memories, "memories");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(onClose, "onClose");
    }

    public StorageFixture(MemoryRepository memories, ProfileRepository profiles, VaultStateRepository state, Transactions tx) {
        this(memories, profiles, state, tx, () -> { });
    }

    /**
     * The ports of a storage adapter's {@link org.memoryvault.domain.port.VaultStorage} (a new, empty
     * store): how a storage backend runs the contract suites, its acceptance test.
     */
    public static StorageFixture of(org.memoryvault.domain.port.VaultStorage storage) {
        return new StorageFixture(storage.memories(), storage.profiles(), storage.state(), storage.transactions(), storage::close);
    }

    /** Fresh in-memory fakes, all registered with one {@link InMemoryTransactions}. */
    public static StorageFixture inMemory() {
        InMemoryTransactions tx = new InMemoryTransactions();
        return new StorageFixture(tx.register(new InMemoryMemoryRepository()), tx.register(new InMemoryProfileRepository()),
                tx.register(new InMemoryVaultStateRepository()), tx);
    }

    @Override public void close() throws Exception { onClose.close(); }
}
