package org.memoryvault.domain.model;

import java.util.Locale;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** Argon2id cost presets (libsodium's INTERACTIVE, MODERATE and SENSITIVE limits). Default: SENSITIVE. */
public enum KdfPreset {
    INTERACTIVE(2, 64L << 20),
    MODERATE(3, 256L << 20),
    SENSITIVE(4, 1L << 30);

    private final long opsLimit;
    private final long memLimitBytes;

    KdfPreset(long opsLimit, long memLimitBytes) {
        this.opsLimit = opsLimit;
        this.memLimitBytes = memLimitBytes;
    }

    public KdfParameters parameters() { return new KdfParameters(opsLimit, memLimitBytes); }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static KdfPreset parse(String text) {
        for (KdfPreset p : values()) {
            if (p.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) return p;
        }
        throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "kdf preset must be interactive, moderate or sensitive");
    }
}
