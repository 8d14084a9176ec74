package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dagger.multibindings.Multibinds;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.adapters.approval.TerminalApprovalGate;
import org.memoryvault.adapters.auditor.PromptInjectionMemoryAuditor;
import org.memoryvault.adapters.boundary.NetworkInterfaceBoundaryGuard;
import org.memoryvault.adapters.boundary.UnixSocketBoundaryGuard;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.usecase.ApprovalQueue;

/**
 * Chooses the gates' adapters from configuration ({@code boundary.guard}, {@code approval.gate},
 * {@code auditor.*}, {@code anomaly.*}; docs/CONFIG.md). Integrators add memory auditors with
 * their own {@code @Provides @IntoSet MemoryAuditor} in a module of their component.
 */
@Module
public abstract class GatesModule {
    private GatesModule() {}

    @Multibinds
    abstract Set<MemoryAuditor> declaredAuditors();

    @Provides @Singleton
    static BoundaryGuard boundaryGuard(VaultConfig config, Clock clock, VaultComponent.Home home) {
        if (config.get(ConfigKey.BOUNDARY_GUARD).equals("local")) {
            return NetworkInterfaceBoundaryGuard.ofSystem(config.ignoredInterfaces());
        }
        String socket = config.get(ConfigKey.BOUNDARY_SOCKET).strip();
        String token = config.get(ConfigKey.BOUNDARY_TOKEN_FILE).strip();
        Path tokenFile = token.isEmpty() ? home.dir().resolve("boundary.token") : Path.of(token);
        UnixSocketBoundaryGuard.Settings settings = UnixSocketBoundaryGuard.Settings
                .of(socket.isEmpty() ? Optional.empty() : Optional.of(Path.of(socket)), tokenFile, clock)
                .withTimeout(config.duration(ConfigKey.BOUNDARY_TIMEOUT))
                .withPermitCache(config.duration(ConfigKey.BOUNDARY_PERMIT_CACHE));
        return new UnixSocketBoundaryGuard(settings);
    }

    @Provides @Singleton
    static ApprovalGate approvalGate(VaultConfig config, ApprovalRepository approvals, AuditLog audit, Transactions tx,
                                     Clock clock, SecureRandom random) {
        if (config.get(ConfigKey.APPROVAL_GATE).equals("queue")) {
            return new ApprovalQueue(approvals, audit, tx, clock, random, config.duration(ConfigKey.APPROVAL_TTL));
        }
        return TerminalApprovalGate.ofDevTty();
    }

    @Provides @ElementsIntoSet
    static Set<MemoryAuditor> configuredAuditors(VaultConfig config) {
        return switch (config.get(ConfigKey.AUDITOR_PROMPT_INJECTION)) {
            case "warn" -> Set.of(new PromptInjectionMemoryAuditor(PromptInjectionMemoryAuditor.Mode.WARN));
            case "refuse" -> Set.of(new PromptInjectionMemoryAuditor(PromptInjectionMemoryAuditor.Mode.REFUSE));
            default -> Set.of();
        };
    }

    @Provides @Singleton
    static AnomalyRule anomalyRule(VaultConfig config) {
        return new AnomalyRule(Boolean.parseBoolean(config.get(ConfigKey.ANOMALY_ENABLED)),
                intOf(config.get(ConfigKey.ANOMALY_PER_REQUESTER)), intOf(config.get(ConfigKey.ANOMALY_TOTAL)),
                Durations.parse(config.get(ConfigKey.ANOMALY_WINDOW)));
    }

    private static int intOf(String v) { return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v)); }


}
