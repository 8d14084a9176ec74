package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import org.memoryvault.audit.AuditConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.port.VaultStateRepository;

/** The audit log's identity (its origin, from the vault id). Its signer comes from the crypto module ({@code CryptoFiles}). */
@Module
public final class AuditWiringModule {
    private AuditWiringModule() {}

    @Provides @Singleton
    static AuditConfig auditConfig(VaultStateRepository state) {
        return AuditConfig.forVault(state.vaultId().orElseThrow(() ->
                new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the vault has no id; was it initialised by `vault init`?", null)));
    }
}
