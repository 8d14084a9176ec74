package org.memoryvault.domain.port;

/**
 * One vault's store, as a storage adapter opens it: every storage port over one database, sharing
 * its transactions. The wiring binds each port from here, so the vault's object graph names no
 * storage technology (docs/adr/0001, docs/ARCHITECTURE.md §6); which adapter opens the store is the
 * vault's configuration ({@code storage.backend}, fixed when the vault is created).
 *
 * <p>Contract: every port passes its contract suite in vault-domain's test-jar
 * ({@code MemoryRepositoryContract} and the others) against this store; {@link #transactions()}
 * makes the writes of all of them atomic together.
 */
public interface VaultStorage extends AutoCloseable {
    MemoryRepository memories();

    ProfileRepository profiles();

    VaultStateRepository state();

    ApprovalRepository approvals();

    PrincipalRepository principals();

    AuditStore auditStore();

    OwnerSealStore ownerSeals();

    TokenRepository tokens();

    IntentLinkRepository intentLinks();

    EscrowRepository escrows();

    DeadManRepository deadMan();

    Transactions transactions();

    /** The whole store as backup rows, and an empty store filled from them (docs/FORMAT.md §14). */
    BackupRows backupRows();

    /** Releases the store (connections, locks). */
    @Override void close();
}
