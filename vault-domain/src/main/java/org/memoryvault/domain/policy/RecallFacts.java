package org.memoryvault.domain.policy;

import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * What the recall policy may ask about the world. The policy asks lazily and in gate order, so a
 * request refused early never reaches the boundary daemon, a human or a token.
 */
public interface RecallFacts {
    boolean lockdownActive();

    BoundaryGuard.Decision boundary(Memory memory);

    ApprovalGate.Decision approval(Memory memory);

    PresenceVerifier.Decision presence(Memory memory);
}
