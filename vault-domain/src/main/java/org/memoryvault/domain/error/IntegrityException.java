package org.memoryvault.domain.error;

/** Authentication failed: tampered data, a wrong key or a bad signature. Never a bug, never retried. */
public final class IntegrityException extends VaultException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(ErrorCode code, String safeMessage, @org.jspecify.annotations.Nullable Throwable cause) { super(code, safeMessage, cause); }
}
