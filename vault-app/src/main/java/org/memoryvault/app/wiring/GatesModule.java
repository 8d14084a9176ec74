package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import org.memoryvault.adapters.approval.TerminalApprovalGate;
import org.memoryvault.adapters.boundary.NetworkInterfaceBoundaryGuard;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.PrincipalDirectory;
import org.memoryvault.hardware.UnenrolledPresenceVerifier;

/** Chooses the gates' adapters from configuration ({@code boundary.guard}, {@code approval.gate}). */
@Module
public final class GatesModule {
    private GatesModule() {}

    @Provides @Singleton
    static BoundaryGuard boundaryGuard(VaultConfig config) {
        String guard = config.get(ConfigKey.BOUNDARY_GUARD);
        if (guard.equals("local")) return NetworkInterfaceBoundaryGuard.ofSystem(config.ignoredInterfaces());
        throw new org.memoryvault.domain.error.InternalVaultException(org.memoryvault.domain.error.ErrorCode.INTERNAL_ERROR,
                "boundary.guard " + guard + " passed validation but has no adapter", null);
    }

    @Provides @Singleton
    static ApprovalGate approvalGate(VaultConfig config) {
        return TerminalApprovalGate.ofDevTty();
    }

    @Provides @Singleton
    static PresenceVerifier presenceVerifier() { return new UnenrolledPresenceVerifier(); }

    @Provides @Singleton
    static PrincipalDirectory principals(VaultConfig config) { return new ConfigPrincipalDirectory(config); }
}
