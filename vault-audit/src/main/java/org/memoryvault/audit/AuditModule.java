package org.memoryvault.audit;

import dagger.Binds;
import dagger.Module;
import org.memoryvault.domain.port.AuditLog;

/**
 * Binds the domain's {@link AuditLog} to {@link MerkleAuditLog}. The component must also provide
 * an {@code AuditStore} (storage module), a {@code Signer} (crypto module), {@code Transactions},
 * a {@code java.time.Clock} and an {@link AuditConfig} (the vault id). {@link AuditQueries} and
 * {@link AuditVerifier} have {@code @Inject} constructors and need no binding.
 */
@Module
public abstract class AuditModule {
    private AuditModule() {}

    @Binds
    abstract AuditLog auditLog(MerkleAuditLog log);
}
