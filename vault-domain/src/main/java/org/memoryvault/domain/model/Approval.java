package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * An out-of-band approval of one recall: bound to a memory, a requester and a justification,
 * single-use, and valid until {@code expiresAt}.
 */
public record Approval(String id, MemoryId memoryId, String requester, String justification, Instant requestedAt,
                       Instant expiresAt, Status status, Optional<String> decidedBy, Optional<Instant> decidedAt,
                       Optional<String> reason) {
    /** Where an approval is in its life: pending, then approved or denied; an approved one is used once; any may expire. */
    public enum Status { PENDING, APPROVED, DENIED, USED, EXPIRED }

    public Approval {
        Objects.requireNonNull(id, "id");
        if (!validId(id)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "approval id must be 32 lower-case hex digits");
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(justification, "justification");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(reason, "reason");
    }

    public static boolean validId(String id) { return id.matches("[0-9a-f]{32}"); }

    /** Parses an id as a user types it; anything else is {@code INPUT_INVALID}. */
    public static String parseId(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!validId(t)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "approval id must be 32 hex digits");
        return t;
    }

    public boolean isExpired(Instant now) { return !now.isBefore(expiresAt); }

    public Approval with(Status newStatus, Optional<String> by, Optional<Instant> at, Optional<String> why) {
        return new Approval(id, memoryId, requester, justification, requestedAt, expiresAt, newStatus, by, at, why);
    }
}
