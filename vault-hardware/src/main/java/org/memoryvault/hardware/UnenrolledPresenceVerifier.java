package org.memoryvault.hardware;

import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * The presence verifier of a vault with no hardware token enrolled: it refuses every request, so
 * level-5 memories cannot be recalled (fail-closed) until a token backend is enrolled.
 */
public final class UnenrolledPresenceVerifier implements PresenceVerifier {
    @jakarta.inject.Inject
    public UnenrolledPresenceVerifier() {}

    @Override
    public Decision verify(Memory memory) {
        return new Decision(false, "no hardware token enrolled");
    }
}
