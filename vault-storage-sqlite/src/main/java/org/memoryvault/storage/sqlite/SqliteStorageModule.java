package org.memoryvault.storage.sqlite;

import dagger.Binds;
import dagger.Module;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Binds the storage ports to their SQLite adapters. The component must provide the
 * {@link SqliteDatabase}: exactly one instance per vault ({@code @Singleton}), because transactions
 * are bound to threads through it, from {@link SqliteDatabases#openExisting} or
 * {@link SqliteDatabases#open}; and close it on shutdown.
 */
@Module
public abstract class SqliteStorageModule {
    @Binds
    abstract MemoryRepository memoryRepository(SqliteMemoryRepository adapter);

    @Binds
    abstract ProfileRepository profileRepository(SqliteProfileRepository adapter);

    @Binds
    abstract VaultStateRepository vaultStateRepository(SqliteVaultStateRepository adapter);

    @Binds
    abstract Transactions transactions(SqliteTransactions adapter);

    @Binds
    abstract AuditStore auditStore(SqliteAuditStore adapter);

    @Binds
    abstract ApprovalRepository approvalRepository(SqliteApprovalRepository adapter);

    @Binds
    abstract org.memoryvault.domain.port.OwnerSealStore ownerSealStore(SqliteOwnerSealStore adapter);

    @Binds
    abstract org.memoryvault.domain.port.PrincipalRepository principalRepository(SqlitePrincipalRepository adapter);
}
