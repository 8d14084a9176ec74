package org.memoryvault.domain.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Principal;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * The recall gates 1-7 of ARCHITECTURE §3, in contract order, as pure logic. Decryption (8) and
 * the memory auditors (9) follow in the use case once this grants.
 */
public final class RecallPolicy {
    private RecallPolicy() {}

    public static GateDecision evaluate(Optional<Memory> found, Principal requester, RecallFacts facts, Instant now,
                                        Duration ephemeralTtl) {
        if (facts.lockdownActive()) {
            return new GateDecision.Refused(Gate.LOCKDOWN, ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown");
        }
        if (found.isEmpty()) {
            return new GateDecision.Refused(Gate.EXISTENCE, ErrorCode.NOT_FOUND_MEMORY, "no memory with that id");
        }
        Memory m = found.get();
        if (m.isTombstoned()) {
            return new GateDecision.Refused(Gate.EXISTENCE, ErrorCode.ACCESS_TOMBSTONED, "the memory is tombstoned");
        }
        if (m.isExpired(now, ephemeralTtl)) {
            return new GateDecision.Refused(Gate.EXISTENCE, ErrorCode.ACCESS_EXPIRED, "the ephemeral memory has expired");
        }
        if (!requester.clearance().covers(m.classification())) {
            return new GateDecision.Refused(Gate.CLEARANCE, ErrorCode.ACCESS_CLEARANCE,
                    "requester " + requester.name() + " has clearance " + requester.clearance().level()
                            + ", the memory is level " + m.classification().level());
        }
        BoundaryGuard.Decision boundary = facts.boundary(m);
        if (!boundary.permitted()) {
            return new GateDecision.Refused(Gate.BOUNDARY, ErrorCode.ACCESS_BOUNDARY,
                    "boundary refused: " + boundary.reason());
        }
        String approvedBy = "";
        Optional<ApprovalGate.Approved> approved = Optional.empty();
        if (m.classification().requirements().humanApproval()) {
            ApprovalGate.Decision approval = facts.approval(m);
            if (approval instanceof ApprovalGate.Pending p) {
                return new GateDecision.Pending(p.approvalId(), p.expiresAt());
            }
            if (approval instanceof ApprovalGate.Denied d) {
                return new GateDecision.Refused(Gate.APPROVAL, ErrorCode.ACCESS_APPROVAL, "approval denied: " + d.reason());
            }
            approved = Optional.of((ApprovalGate.Approved) approval);
            approvedBy = approved.get().by();
        }
        if (m.lastRecalledAt().isPresent() && !m.policy().cooldown().permitsRecall(m.lastRecalledAt().get(), now)) {
            return new GateDecision.Refused(Gate.COOLDOWN, ErrorCode.ACCESS_COOLDOWN,
                    "cooldown: next recall allowed at " + m.policy().cooldown().nextAllowed(m.lastRecalledAt().get()));
        }
        if (m.classification().requirements().hardwareToken()) {
            PresenceVerifier.Decision presence = facts.presence(m);
            if (!presence.present()) {
                return new GateDecision.Refused(Gate.PRESENCE, ErrorCode.ACCESS_TOKEN, "presence token: " + presence.reason());
            }
        }
        return new GateDecision.Granted(approvedBy, approved);
    }
}
