package org.memoryvault.domain.error;

/** Bad input from the caller: nothing was changed. */
public final class InvalidInputException extends VaultException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(ErrorCode code, String safeMessage) { super(code, safeMessage, null); }
}
