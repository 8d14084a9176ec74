package org.memoryvault.domain.error;

/**
 * The one exception hierarchy of Memory Vault. Every failure a caller can see carries a stable
 * {@link ErrorCode}; its {@link Category} decides the CLI exit code.
 *
 * <p>Security: messages are safe to print and log. They never contain secrets, plaintext, key
 * bytes or file contents; constructing code must keep it that way.
 */
public abstract sealed class VaultException extends RuntimeException
        permits InvalidInputException, NotFoundException, AccessRefusedException,
                IntegrityException, ApprovalPendingException, InternalVaultException {

    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    VaultException(ErrorCode code, String safeMessage, @org.jspecify.annotations.Nullable Throwable cause) {
        super(safeMessage, cause);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    public final ErrorCode code() { return code; }

    /** The safe message the exception was made with (never null). */
    @Override public String getMessage() {
        return java.util.Objects.requireNonNullElse(super.getMessage(), code.name());
    }

    /** Builds the subclass that matches the code's category (exhaustive: a new category breaks the build). */
    public static VaultException of(ErrorCode code, String safeMessage) {
        return switch (code.category()) {
            case INVALID_INPUT -> new InvalidInputException(code, safeMessage);
            case NOT_FOUND -> new NotFoundException(code, safeMessage);
            case ACCESS_REFUSED -> new AccessRefusedException(code, safeMessage);
            case INTEGRITY -> new IntegrityException(code, safeMessage, null);
            case PENDING -> new ApprovalPendingException(code, safeMessage);
            case INTERNAL -> new InternalVaultException(code, safeMessage, null);
        };
    }
}
