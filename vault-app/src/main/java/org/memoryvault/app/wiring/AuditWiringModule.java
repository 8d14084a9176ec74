package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import org.memoryvault.audit.AuditConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.port.VaultStateRepository;

/** The audit log's identity (its origin, from the vault id). Its signer comes from the crypto module ({@code CryptoFiles}). */
@Module
public final class AuditWiringModule {
    private AuditWiringModule() {}

    @Provides @Singleton
    static AuditConfig auditConfig(VaultStateRepository state) {
        return AuditConfig.forVault(state.vaultId().orElseThrow(() ->
                // `vault init` writes the id before anything else: a vault.db without one was edited (found by VaultDbFuzzTest)
                new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                        "vault.db has no vault id (edited or damaged; docs/RECOVERY.md)", null)));
    }
}
