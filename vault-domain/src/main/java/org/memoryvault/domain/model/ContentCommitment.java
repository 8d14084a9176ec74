package org.memoryvault.domain.model;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A keyed commitment to a memory's plaintext (HMAC-SHA-256 under a key derived from the memory's
 * content key; docs/FORMAT.md §5), as 64 lower-case hex digits. A crypto-shred replaces it with
 * {@link #SHREDDED}, so nobody can test guesses of the destroyed content against it.
 */
public record ContentCommitment(String hex) {
    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public static final ContentCommitment SHREDDED = new ContentCommitment("0".repeat(64));

    public ContentCommitment {
        Objects.requireNonNull(hex, "hex");
        if (!HEX64.matcher(hex).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "content commitment must be 64 hex digits");
        }
    }

    /** Constant-time comparison. */
    public boolean matches(ContentCommitment other) {
        return java.security.MessageDigest.isEqual(hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                other.hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
