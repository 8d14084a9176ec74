package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.SettingsStore;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Changes one setting. Settings weaken or strengthen gates, so this is an owner ceremony
 * ({@link OwnerProof}): the owner's secret is proved first, and in one transaction the stored
 * settings are read again, the state is checked against the newest owner seal, the change is
 * audited and written, and the result is sealed. During lockdown nothing changes (leaving lockdown
 * is {@link ExitLockdown}): a setting such as {@code lockdown.exit-secret} must not open the way out.
 *
 * <p>Security: a process that writes the settings file directly bypasses this; the owner seal
 * then disagrees at the next command (docs/THREAT-MODEL.md).
 */
public final class ChangeSetting {
    /** Sets {@code key} to the value, or removes it (its default then applies) when the value is empty. */
    public record Request(String key, java.util.Optional<String> value) {
        public Request {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public static Request set(String key, String value) { return new Request(key, java.util.Optional.of(value)); }

        public static Request unset(String key) { return new Request(key, java.util.Optional.empty()); }
    }

    private final SettingsStore settings;
    private final OwnerProof owner;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final VaultStateRepository state;

    public ChangeSetting(SettingsStore settings, VaultStateRepository state, OwnerProof owner, AuditLog audit, Transactions tx,
                         Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = Objects.requireNonNull(state, "state");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void execute(Request request) {
        refuseInLockdown();
        check(request);                                           // a bad value is refused before any secret is asked
        try (OwnedKey proof = owner.proveVaultOwner()) {
            Instant now = clock.instant();
            tx.run(() -> {
                refuseInLockdown();
                settings.reload();       // under the write lock: another owner process's change is kept, not flagged
                check(request);
                owner.begin(proof.key());
                if (request.value().isPresent()) {
                    audit.append(AuditEvent.of(AuditEvent.CONFIG_SET, now).with("key", request.key()).with("value", request.value().get()));
                    settings.set(request.key(), request.value().get());
                } else {
                    audit.append(AuditEvent.of(AuditEvent.CONFIG_UNSET, now).with("key", request.key()));
                    settings.unset(request.key());
                }
                try {
                    owner.end(proof.key());
                } catch (RuntimeException e) {
                    settings.revert();          // the transaction rolls back; the file must too, or "nothing changed" is untrue
                    throw e;
                }
            });
        }
    }

    private void check(Request request) {
        if (request.value().isPresent()) settings.check(request.key(), request.value().get());
        else settings.checkUnset(request.key());
    }

    private void refuseInLockdown() {
        if (state.lockdown().active()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown: settings are frozen until the owner"
                    + " leaves it (`vault lockdown exit`)");
        }
    }
}
