package org.memoryvault.domain.port;

import org.memoryvault.domain.model.LockdownState;

/** Vault-wide state: lockdown. */
public interface VaultStateRepository {
    LockdownState lockdown();

    void setLockdown(LockdownState state);
}
