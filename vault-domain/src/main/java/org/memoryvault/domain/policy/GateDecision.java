package org.memoryvault.domain.policy;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;

/** The outcome of the recall gates before decryption: granted, refused by one gate, or pending a human. */
public sealed interface GateDecision permits GateDecision.Granted, GateDecision.Refused, GateDecision.Pending {
    record Granted(String approvedBy) implements GateDecision {}

    record Refused(Gate gate, ErrorCode code, String reason) implements GateDecision {
        public Refused {
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    record Pending(String approvalId, java.time.Instant expiresAt) implements GateDecision {}
}
