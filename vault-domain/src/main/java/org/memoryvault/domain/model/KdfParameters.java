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
}
