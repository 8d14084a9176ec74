package org.memoryvault.domain.testing;

import java.util.Objects;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.port.VaultStateRepository;

/** A {@link VaultStateRepository} in a field; starts {@link LockdownState#OPEN}. Rolls back with {@link InMemoryTransactions}. */
public final class InMemoryVaultStateRepository implements VaultStateRepository, InMemoryTransactions.Participant {
    private LockdownState lockdown = LockdownState.OPEN;
    private java.util.Optional<String> vaultId = java.util.Optional.empty();
    private java.util.Optional<org.memoryvault.domain.model.ProfileId> owner = java.util.Optional.empty();

    @Override public synchronized java.util.Optional<org.memoryvault.domain.model.ProfileId> ownerProfile() { return owner; }

    @Override
    public synchronized void setOwnerProfile(org.memoryvault.domain.model.ProfileId profile) {
        if (owner.isPresent()) {
            throw new org.memoryvault.domain.error.InvalidInputException(
                    org.memoryvault.domain.error.ErrorCode.INPUT_STATE, "the vault already has an owner profile");
        }
        owner = java.util.Optional.of(Objects.requireNonNull(profile, "profile"));
    }

    @Override public synchronized java.util.Optional<String> vaultId() { return vaultId; }

    @Override
    public synchronized void setVaultId(String id) {
        if (vaultId.isPresent()) {
            throw new org.memoryvault.domain.error.InvalidInputException(
                    org.memoryvault.domain.error.ErrorCode.INPUT_STATE, "the vault already has an id");
        }
        vaultId = java.util.Optional.of(Objects.requireNonNull(id, "id"));
    }

    @Override public synchronized LockdownState lockdown() { return lockdown; }

    @Override public synchronized void setLockdown(LockdownState state) { lockdown = Objects.requireNonNull(state, "state"); }

    @Override
    public synchronized Runnable snapshot() {
        LockdownState saved = lockdown;
        java.util.Optional<String> savedId = vaultId;
        java.util.Optional<org.memoryvault.domain.model.ProfileId> savedOwner = owner;
        return () -> {
            setLockdown(saved);
            synchronized (this) {
                vaultId = savedId;
                owner = savedOwner;
            }
        };
    }
}
