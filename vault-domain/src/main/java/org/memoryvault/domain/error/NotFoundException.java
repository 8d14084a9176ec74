package org.memoryvault.domain.error;

/** The named memory, profile or slot does not exist. */
public final class NotFoundException extends VaultException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(ErrorCode code, String safeMessage) { super(code, safeMessage, null); }
}
