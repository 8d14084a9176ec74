package org.memoryvault.domain.testing;

import java.util.Objects;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.port.VaultStateRepository;

/** A {@link VaultStateRepository} in a field; starts {@link LockdownState#OPEN}. Rolls back with {@link InMemoryTransactions}. */
public final class InMemoryVaultStateRepository implements VaultStateRepository, InMemoryTransactions.Participant {
    private LockdownState lockdown = LockdownState.OPEN;

    @Override public synchronized LockdownState lockdown() { return lockdown; }

    @Override public synchronized void setLockdown(LockdownState state) { lockdown = Objects.requireNonNull(state, "state"); }

    @Override
    public synchronized Runnable snapshot() {
        LockdownState saved = lockdown;
        return () -> setLockdown(saved);
    }
}
