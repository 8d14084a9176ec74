package org.memoryvault.audit;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * The log's identity: its checkpoint origin, which is also its signing key name.
 *
 * @param origin {@code memory-vault/<vault id>}
 */
public record AuditConfig(String origin) {
    public static final String ORIGIN_PREFIX = "memory-vault/";

    public AuditConfig {
        Objects.requireNonNull(origin, "origin");
        if (!VerifierKey.validName(origin)) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "audit origin must be non-empty without spaces or '+'");
        }
    }

    /** The configuration of the vault with this id (non-empty, no spaces, no '+'). */
    public static AuditConfig forVault(String vaultId) {
        Objects.requireNonNull(vaultId, "vaultId");
        if (vaultId.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "vault id is empty");
        return new AuditConfig(ORIGIN_PREFIX + vaultId);
    }
}
