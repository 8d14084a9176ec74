package org.memoryvault.domain.error;

/** A gate refused the operation (lockdown, tombstone, clearance, boundary, approval, cooldown, token, wrong secret). */
public final class AccessRefusedException extends VaultException {
    private static final long serialVersionUID = 1L;

    public AccessRefusedException(ErrorCode code, String safeMessage) { super(code, safeMessage, null); }
}
