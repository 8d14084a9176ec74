package org.memoryvault.domain.port;

import org.memoryvault.domain.model.LockdownState;

/** Vault-wide state: lockdown and the vault's identity. */
public interface VaultStateRepository {
    LockdownState lockdown();

    void setLockdown(LockdownState state);

    /** The vault's random id, set once at init (it names the audit log's origin). */
    java.util.Optional<String> vaultId();

    /** Sets the vault id; refuses to change one that is set. */
    void setVaultId(String id);

    /** The owner's profile: the first profile created (at {@code vault init}); its secret proves the owner. */
    java.util.Optional<org.memoryvault.domain.model.ProfileId> ownerProfile();

    /** Sets the owner's profile; refuses to change one that is set. */
    void setOwnerProfile(org.memoryvault.domain.model.ProfileId profile);
}
