package org.memoryvault.domain.usecase;

import java.util.Objects;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.port.VaultStateRepository;

/** Whether the vault is in lockdown, and why. */
public final class LockdownStatus {
    private final VaultStateRepository state;

    public LockdownStatus(VaultStateRepository state) { this.state = Objects.requireNonNull(state, "state"); }

    public LockdownState execute() { return state.lockdown(); }
}
