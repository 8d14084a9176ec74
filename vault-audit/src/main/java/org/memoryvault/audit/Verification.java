package org.memoryvault.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link AuditVerifier#verify()}: how much was checked, and the first problem found
 * (verification stops there), if any.
 */
public record Verification(long entriesChecked, long checkpointsChecked, Optional<Problem> firstProblem) {
    public Verification {
        Objects.requireNonNull(firstProblem, "firstProblem");
    }

    public boolean ok() { return firstProblem.isEmpty(); }

    /** What is broken. {@code position} is an entry index, a checkpoint's tree size, a key epoch or a node level, by kind. */
    public record Problem(Kind kind, long position, String detail) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }

        /** A one-line, printable description, e.g. {@code entry 41: leaf hash does not match the entry text}. */
        public String describe() {
            return switch (kind) {
                case ENTRY -> "entry " + position + ": " + detail;
                case CHECKPOINT -> "checkpoint at tree size " + position + ": " + detail;
                case KEY -> "signing key epoch " + position + ": " + detail;
                case STORED_TREE -> "stored tree: " + detail;
                case COSIGNED -> "owner-cosigned tree of size " + position + ": " + detail;
            };
        }
    }

    /** Where the problem is. */
    public enum Kind {
        /** A log entry: missing, altered, out of place, or its query columns disagree with its text. */
        ENTRY,
        /** A kept checkpoint: malformed, bad or revoked signature, root or size that the entries do not give. */
        CHECKPOINT,
        /** The key epoch table disagrees with itself or with the rotation entries in the log. */
        KEY,
        /** Derived state (head, compact range, stored subtree hashes) disagrees with the entries. */
        STORED_TREE,
        /** An owner-cosigned tree (an owner seal, FORMAT.md §12) that the entries no longer give: the log was rewritten or cut. */
        COSIGNED
    }
}
