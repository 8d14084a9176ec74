package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.SettingsStore;
import org.memoryvault.domain.port.Transactions;

/**
 * Changes one setting. Settings weaken or strengthen gates, so this is an owner ceremony
 * ({@link OwnerProof}): the owner's secret is proved first, and in one transaction the stored
 * settings are read again, the state is checked against the newest owner seal, the change is
 * audited and written, and the result is sealed.
 *
 * <p>Security: a process that writes the settings file directly bypasses this; the owner seal
 * then disagrees at the next command (docs/THREAT-MODEL.md).
 */
public final class ChangeSetting {
    public record Request(String key, String value) {
        public Request {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    private final SettingsStore settings;
    private final OwnerProof owner;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public ChangeSetting(SettingsStore settings, OwnerProof owner, AuditLog audit, Transactions tx, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void execute(Request request) {
        settings.check(request.key(), request.value());          // a bad value is refused before any secret is asked
        try (OwnedKey proof = owner.proveVaultOwner()) {
            Instant now = clock.instant();
            tx.run(() -> {
                settings.reload();       // under the write lock: another owner process's change is kept, not flagged
                settings.check(request.key(), request.value());
                owner.begin(proof.key());
                audit.append(AuditEvent.of(AuditEvent.CONFIG_SET, now).with("key", request.key()).with("value", request.value()));
                settings.set(request.key(), request.value());
                owner.end(proof.key());
            });
        }
    }
}
