package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import org.memoryvault.audit.AuditConfig;
import org.memoryvault.crypto.CryptoAdapters;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.port.Signer;
import org.memoryvault.domain.port.VaultStateRepository;

/** The audit log's identity (origin from the vault id) and its signer (key epochs under {@code <vault>/audit}). */
@Module
public final class AuditWiringModule {
    private AuditWiringModule() {}

    @Provides @Singleton
    static AuditConfig auditConfig(VaultStateRepository state) {
        return AuditConfig.forVault(state.vaultId().orElseThrow(() ->
                new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "the vault has no id; was it initialised by `vault init`?", null)));
    }

    @Provides @Singleton
    static Signer signer(VaultComponent.Home home) {
        return CryptoAdapters.auditSigner(home.dir().resolve("audit"));
    }
}
