package org.memoryvault.app.wiring;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.port.RollbackCounter;
import org.memoryvault.hardware.tpm.Tpm2SlotBackend;
import org.memoryvault.hardware.tpm.TpmRollbackCounter;

/**
 * The rollback counter {@code audit.tpm-counter} names, read from the settings at each use: so the
 * {@code config set} that turns it on already anchors its own seal, and one that turns it off does
 * not. The TPM is the one {@code $MEMORY_VAULT_TPM} names (default {@code /dev/tpmrm0}); every read
 * is certified by the TPM whose attestation key the setting names, so pointing the variable at
 * another TPM gains nothing.
 */
final class ConfiguredRollbackCounter implements RollbackCounter {
    private final VaultConfig config;
    private final SecureRandom random;

    ConfiguredRollbackCounter(VaultConfig config, SecureRandom random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
    }

    private Optional<RollbackCounter> current() {
        String value = config.get(ConfigKey.AUDIT_TPM_COUNTER);
        return value.isEmpty() ? Optional.empty()
                : Optional.of(TpmRollbackCounter.fromSetting(Tpm2SlotBackend.configuredDevice(), value, random));
    }

    @Override public Optional<String> name() { return current().flatMap(RollbackCounter::name); }

    @Override public long read() { return current().orElse(RollbackCounter.NONE).read(); }

    @Override public long increment() { return current().orElse(RollbackCounter.NONE).increment(); }
}
