package org.memoryvault.domain.error;

/** What kind of failure an {@link ErrorCode} is; decides the CLI exit code (ARCHITECTURE §7). */
public enum Category {
    INVALID_INPUT(2),
    NOT_FOUND(3),
    ACCESS_REFUSED(4),
    INTEGRITY(5),
    PENDING(75),
    INTERNAL(1);

    private final int exitCode;

    Category(int exitCode) { this.exitCode = exitCode; }

    /** The process exit code the CLI uses for this category (contract). */
    public int exitCode() { return exitCode; }
}
