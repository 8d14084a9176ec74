package org.memoryvault.domain.error;

/** A bug or an environment failure (disk, native library). The cause may be attached; its message is not shown to users. */
public final class InternalVaultException extends VaultException {
    private static final long serialVersionUID = 1L;

    public InternalVaultException(ErrorCode code, String safeMessage, @org.jspecify.annotations.Nullable Throwable cause) { super(code, safeMessage, cause); }
}
