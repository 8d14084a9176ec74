package org.memoryvault.domain.policy;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;

/** The outcome of the recall gates before decryption: granted, refused by one gate, or pending a human. */
public sealed interface GateDecision permits GateDecision.Granted, GateDecision.Refused, GateDecision.Pending {
    /** Granted; {@code approval} is the human approval that was needed (levels 3-5), if any. */
    record Granted(String approvedBy, java.util.Optional<org.memoryvault.domain.port.ApprovalGate.Approved> approval)
            implements GateDecision {
        public Granted {
            Objects.requireNonNull(approvedBy, "approvedBy");
            Objects.requireNonNull(approval, "approval");
        }

        public Granted(String approvedBy) { this(approvedBy, java.util.Optional.empty()); }
    }

    record Refused(Gate gate, ErrorCode code, String reason) implements GateDecision {
        public Refused {
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    record Pending(String approvalId, java.time.Instant expiresAt) implements GateDecision {}
}
