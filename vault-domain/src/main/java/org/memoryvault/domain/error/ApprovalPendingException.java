package org.memoryvault.domain.error;

/** A human approval was requested; retry with the approval id. */
public final class ApprovalPendingException extends VaultException {
    private static final long serialVersionUID = 1L;

    private final String approvalId;
    private final String expiresAt;

    public ApprovalPendingException(ErrorCode code, String safeMessage) { this(code, safeMessage, "", ""); }

    /** With the pending approval's id and expiry (ISO-8601), for callers that retry with it. */
    public ApprovalPendingException(ErrorCode code, String safeMessage, String approvalId, String expiresAt) {
        super(code, safeMessage, null);
        this.approvalId = java.util.Objects.requireNonNull(approvalId, "approvalId");
        this.expiresAt = java.util.Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String approvalId() { return approvalId; }

    public String expiresAt() { return expiresAt; }
}
