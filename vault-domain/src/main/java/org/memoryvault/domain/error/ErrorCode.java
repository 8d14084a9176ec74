package org.memoryvault.domain.error;

/**
 * Stable error codes (contract: scripts and agents match on the name). Never rename one; add new ones.
 */
public enum ErrorCode {
    INPUT_INVALID(Category.INVALID_INPUT),
    INPUT_MEMORY_ID(Category.INVALID_INPUT),
    INPUT_CLASSIFICATION(Category.INVALID_INPUT),
    INPUT_METADATA(Category.INVALID_INPUT),
    INPUT_CONTENT_TOO_LARGE(Category.INVALID_INPUT),
    INPUT_QUERY(Category.INVALID_INPUT),
    INPUT_DURATION(Category.INVALID_INPUT),
    INPUT_PROFILE_NAME(Category.INVALID_INPUT),
    INPUT_PROFILE_EXISTS(Category.INVALID_INPUT),
    INPUT_KEY_FILE(Category.INVALID_INPUT),
    INPUT_SECRET_MISSING(Category.INVALID_INPUT),
    INPUT_PASSPHRASE_FILE(Category.INVALID_INPUT),
    INPUT_LAST_SLOT(Category.INVALID_INPUT),
    INPUT_CONFIG(Category.INVALID_INPUT),
    INPUT_STATE(Category.INVALID_INPUT),
    INPUT_SLOT_BACKEND(Category.INVALID_INPUT),
    STORAGE_SCHEMA_NEWER(Category.INVALID_INPUT),
    STORAGE_NOT_WRITABLE(Category.INVALID_INPUT),
    STORAGE_NOT_INITIALISED(Category.INVALID_INPUT),

    NOT_FOUND_MEMORY(Category.NOT_FOUND),
    NOT_FOUND_PROFILE(Category.NOT_FOUND),
    NOT_FOUND_SLOT(Category.NOT_FOUND),
    NOT_FOUND_APPROVAL(Category.NOT_FOUND),
    NOT_FOUND_PRINCIPAL(Category.NOT_FOUND),
    NOT_FOUND_TOKEN(Category.NOT_FOUND),
    NOT_FOUND_ESCROW(Category.NOT_FOUND),
    NOT_FOUND_HEIR(Category.NOT_FOUND),

    ACCESS_LOCKDOWN(Category.ACCESS_REFUSED),
    ACCESS_TOMBSTONED(Category.ACCESS_REFUSED),
    ACCESS_EXPIRED(Category.ACCESS_REFUSED),
    ACCESS_CLEARANCE(Category.ACCESS_REFUSED),
    ACCESS_BOUNDARY(Category.ACCESS_REFUSED),
    ACCESS_APPROVAL(Category.ACCESS_REFUSED),
    ACCESS_COOLDOWN(Category.ACCESS_REFUSED),
    ACCESS_TOKEN(Category.ACCESS_REFUSED),
    ACCESS_WRONG_SECRET(Category.ACCESS_REFUSED),
    ACCESS_AUDITOR(Category.ACCESS_REFUSED),
    ACCESS_RATE(Category.ACCESS_REFUSED),

    INTEGRITY_TAMPERED(Category.INTEGRITY),
    INTEGRITY_WRONG_KEY(Category.INTEGRITY),
    INTEGRITY_SIGNATURE(Category.INTEGRITY),
    INTEGRITY_AUDIT_LOG(Category.INTEGRITY),

    APPROVAL_PENDING(Category.PENDING),

    INTERNAL_ERROR(Category.INTERNAL),
    INTERNAL_STORAGE(Category.INTERNAL),
    INTERNAL_CRYPTO(Category.INTERNAL),
    /** Another process held the database's write lock past {@code storage.busy-timeout}: nothing was written; retrying is safe. */
    STORAGE_BUSY(Category.INTERNAL);

    private final Category category;

    ErrorCode(Category category) { this.category = category; }

    public Category category() { return category; }
}
