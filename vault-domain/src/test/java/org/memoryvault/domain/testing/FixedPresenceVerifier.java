package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.PresenceVerifier;

/** A {@link PresenceVerifier} with a settable answer; records which memories it was asked about. */
public final class FixedPresenceVerifier implements PresenceVerifier {
    private Decision decision;
    private final List<MemoryId> asked = new ArrayList<>();

    private FixedPresenceVerifier(Decision decision) { this.decision = decision; }

    public static FixedPresenceVerifier present() { return new FixedPresenceVerifier(new Decision(true, "test: token present")); }

    public static FixedPresenceVerifier absent(String reason) { return new FixedPresenceVerifier(new Decision(false, reason)); }

    public synchronized void answer(boolean present, String reason) { decision = new Decision(present, reason); }

    @Override
    public synchronized Decision verify(Memory memory) {
        asked.add(memory.id());
        return decision;
    }

    public synchronized List<MemoryId> asked() { return List.copyOf(asked); }
}
