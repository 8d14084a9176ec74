package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * An out-of-band approval of one recall: bound to a memory, a requester and a justification,
 * single-use, and valid until {@code expiresAt}. {@code release} is the memory's content key sealed
 * to the requesting principal by the owner who approved (docs/FORMAT.md §11): what lets the agent
 * open that one memory, and nothing else.
 */
public record Approval(String id, MemoryId memoryId, String requester, String justification, Instant requestedAt,
                       Instant expiresAt, Status status, Optional<String> decidedBy, Optional<Instant> decidedAt,
                       Optional<String> reason, Optional<byte[]> release) {
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
        release = Objects.requireNonNull(release, "release").map(byte[]::clone);
    }

    /** An approval that released no key (pending, denied, or decided before key tiers). */
    public Approval(String id, MemoryId memoryId, String requester, String justification, Instant requestedAt,
                    Instant expiresAt, Status status, Optional<String> decidedBy, Optional<Instant> decidedAt,
                    Optional<String> reason) {
        this(id, memoryId, requester, justification, requestedAt, expiresAt, status, decidedBy, decidedAt, reason,
                Optional.empty());
    }

    @Override public Optional<byte[]> release() { return release.map(byte[]::clone); }

    /** Equal when every field is, the released key compared by content. */
    @Override public boolean equals(Object o) {
        return o instanceof Approval a && id.equals(a.id) && memoryId.equals(a.memoryId) && requester.equals(a.requester)
                && justification.equals(a.justification) && requestedAt.equals(a.requestedAt) && expiresAt.equals(a.expiresAt)
                && status == a.status && decidedBy.equals(a.decidedBy) && decidedAt.equals(a.decidedAt) && reason.equals(a.reason)
                && release.isPresent() == a.release.isPresent()
                && (release.isEmpty() || java.util.Arrays.equals(release.get(), a.release.get()));
    }

    @Override public int hashCode() { return Objects.hash(id, status); }

    public static boolean validId(String id) { return id.matches("[0-9a-f]{32}"); }

    /** Parses an id as a user types it; anything else is {@code INPUT_INVALID}. */
    public static String parseId(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!validId(t)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "approval id must be 32 hex digits");
        return t;
    }

    public boolean isExpired(Instant now) { return !now.isBefore(expiresAt); }

    public Approval with(Status newStatus, Optional<String> by, Optional<Instant> at, Optional<String> why) {
        return new Approval(id, memoryId, requester, justification, requestedAt, expiresAt, newStatus, by, at, why, release);
    }

    /** This approval with no released content key (the memory was tombstoned: the release is withdrawn). */
    public Approval withoutRelease() {
        return new Approval(id, memoryId, requester, justification, requestedAt, expiresAt, status, decidedBy, decidedAt,
                reason, Optional.empty());
    }

    public Approval withRelease(byte[] sealedKey) {
        return new Approval(id, memoryId, requester, justification, requestedAt, expiresAt, status, decidedBy, decidedAt,
                reason, Optional.of(sealedKey));
    }
}
