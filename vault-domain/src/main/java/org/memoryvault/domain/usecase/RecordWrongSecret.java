package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.Transactions;

/**
 * Whatever an inbound adapter was doing, a wrong secret ({@code ACCESS_WRONG_SECRET}) is an audit
 * entry, {@code secret.refused}, with the command and the profile (never the secret), and counts
 * toward the anomaly rule, which may put the vault in lockdown. One rule for every inbound adapter
 * (the CLI, an MCP server), so guessing through any of them is seen.
 */
public final class RecordWrongSecret {
    private final AuditLog audit;
    private final Transactions tx;
    private final AnomalyWatch anomaly;
    private final Clock clock;

    public RecordWrongSecret(AuditLog audit, Transactions tx, AnomalyWatch anomaly, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.anomaly = Objects.requireNonNull(anomaly, "anomaly");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records the refusal for {@code profile} (the one whose secret was asked for last, else "unknown"). */
    public void execute(String command, Optional<String> profile) {
        String p = profile.orElse("unknown");
        AuditEvent event = AuditEvent.of(AuditEvent.SECRET_REFUSED, clock.instant()).with("command", command).with("profile", p)
                .with("code", ErrorCode.ACCESS_WRONG_SECRET.name()).with("requester", AnomalyWatch.secretRequester(p));
        tx.run(() -> audit.append(event));
        anomaly.afterSecretRefusal(p);
    }
}
