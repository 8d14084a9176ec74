package org.memoryvault.domain.port;

import org.memoryvault.domain.model.Memory;

/** Checks for a physical presence token (level 5). Fail-closed. */
public interface PresenceVerifier {
    Decision verify(Memory memory);

    record Decision(boolean present, String reason) {}
}
