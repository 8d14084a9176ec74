package org.memoryvault.domain.error;

/** A human approval was requested; retry with the approval id. */
public final class ApprovalPendingException extends VaultException {
    private static final long serialVersionUID = 1L;

    public ApprovalPendingException(ErrorCode code, String safeMessage) { super(code, safeMessage, null); }
}
