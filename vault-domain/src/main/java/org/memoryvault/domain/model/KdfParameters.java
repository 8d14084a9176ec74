package org.memoryvault.domain.model;

import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** Argon2id (v1.3) cost parameters, stored with each passphrase slot so they can change per slot. */
public record KdfParameters(long opsLimit, long memLimitBytes) {
    public KdfParameters {
        if (opsLimit < 1 || opsLimit > 64) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "Argon2id opslimit out of range");
        if (memLimitBytes < 8192 || memLimitBytes > (4L << 30)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "Argon2id memlimit out of range");
        }
    }

    /**
     * Whether one derivation with these parameters is slow enough (roughly over 200 ms on a laptop
     * core) to tell a person first: memory times passes of at least 256 MiB, so the {@code moderate}
     * and {@code sensitive} presets, not {@code interactive}.
     */
    public boolean worthANotice() { return memLimitBytes * opsLimit >= 256L << 20; }

    /** How a notice names the derivation, e.g. {@code Argon2id, 1024 MiB, 4 passes}. */
    public String describe() { return "Argon2id, " + (memLimitBytes >> 20) + " MiB, " + opsLimit + " passes"; }
}
