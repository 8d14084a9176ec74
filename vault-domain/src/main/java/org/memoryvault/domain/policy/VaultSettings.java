package org.memoryvault.domain.policy;

import java.time.Duration;
import java.util.Objects;
import org.memoryvault.domain.model.KdfPreset;

/**
 * The tunable rules the use cases follow (from configuration; docs/CONFIG.md).
 *
 * @param ephemeralTtl    level-0 memories expire this long after creation
 * @param maxContentBytes largest content accepted by store
 * @param unlockTtl       how long an unlocked data key stays cached (and a session record lives)
 * @param kdfPreset       Argon2id cost for new passphrase slots
 * @param lockdownExitByAnySecret whether any slot's secret lifts lockdown (default: an owner slot's only)
 * @param requiredToken   the one presence token the gate accepts, or empty for any enrolled one
 */
public record VaultSettings(Duration ephemeralTtl, long maxContentBytes, Duration unlockTtl, KdfPreset kdfPreset,
                            boolean lockdownExitByAnySecret, String requiredToken) {
    public static final VaultSettings DEFAULTS =
            new VaultSettings(Duration.ofHours(24), 16L << 20, Duration.ofMinutes(15), KdfPreset.SENSITIVE);

    /** The settings with lockdown lifted by an owner slot's secret only. */
    public VaultSettings(Duration ephemeralTtl, long maxContentBytes, Duration unlockTtl, KdfPreset kdfPreset) {
        this(ephemeralTtl, maxContentBytes, unlockTtl, kdfPreset, false, "");
    }

    public VaultSettings {
        Objects.requireNonNull(ephemeralTtl, "ephemeralTtl");
        Objects.requireNonNull(unlockTtl, "unlockTtl");
        Objects.requireNonNull(kdfPreset, "kdfPreset");
        Objects.requireNonNull(requiredToken, "requiredToken");
        if (maxContentBytes < 1) throw new IllegalArgumentException("maxContentBytes");
    }
}
