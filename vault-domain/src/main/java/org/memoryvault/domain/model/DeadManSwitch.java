package org.memoryvault.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * An armed dead-man switch (issue 14): unless the owner checks in within {@code interval} of the
 * last check-in, it is triggered at {@code deadline}, and its heirs' packages may be released. The
 * rule is the clock's alone: {@link #triggered} needs no daemon.
 */
public record DeadManSwitch(Instant armedAt, Duration interval, Instant deadline, List<MemoryId> memories, String justification,
                            Instant lastCheckin, Instant preparedAt, String signature) {
    public static final Duration LONGEST = Duration.ofDays(3650);

    public DeadManSwitch {
        Objects.requireNonNull(armedAt, "armedAt");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(justification, "justification");
        Objects.requireNonNull(lastCheckin, "lastCheckin");
        Objects.requireNonNull(preparedAt, "preparedAt");
        Objects.requireNonNull(signature, "signature");
        memories = List.copyOf(memories);
        if (interval.isNegative() || interval.isZero() || interval.compareTo(LONGEST) > 0) {
            throw new InvalidInputException(ErrorCode.INPUT_DURATION, "a dead-man switch's interval is more than 0 and at most 3650 days");
        }
        if (memories.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a dead-man switch needs at least one memory");
        if (memories.stream().distinct().count() != memories.size()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a memory is named twice");
        }
        if (justification.isBlank() || justification.length() > 4096) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a dead-man switch needs a justification of 1-4096 characters");
        }
    }

    /** Armed now: the deadline one interval from now; not signed yet. */
    public static DeadManSwitch armed(Instant now, Duration interval, List<MemoryId> memories, String justification) {
        return new DeadManSwitch(now, interval, now.plus(interval), memories, justification, now, now, "");
    }

    /** What the owner signs when arming: what is released and why (not the deadline, which each check-in moves). */
    public byte[] signedText() {
        return ("memory-vault/dms-switch/1\n" + armedAt.toEpochMilli() + "\n" + interval.toMillis() + "\n"
                + String.join(" ", memories.stream().map(MemoryId::toString).toList()) + "\n" + justification + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public DeadManSwitch signed(String signatureHex) {
        return new DeadManSwitch(armedAt, interval, deadline, memories, justification, lastCheckin, preparedAt, signatureHex);
    }

    /** Whether the deadline has passed without a check-in. */
    public boolean triggered(Instant now) { return !now.isBefore(deadline); }

    /** A check-in at {@code now}: the deadline moves to one interval from now. */
    public DeadManSwitch checkedIn(Instant now) {
        return new DeadManSwitch(armedAt, interval, now.plus(interval), memories, justification, now, preparedAt, signature);
    }

    /** The packages were prepared again at {@code now}. */
    public DeadManSwitch preparedAt(Instant now) {
        return new DeadManSwitch(armedAt, interval, deadline, memories, justification, lastCheckin, now, signature);
    }
}
