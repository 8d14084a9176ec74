package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import org.memoryvault.domain.port.PresenceVerifier;

/** A {@link PresenceVerifier} with a settable answer; records what it was asked (the purposes) and whether an owner key came. */
public final class FixedPresenceVerifier implements PresenceVerifier {
    private Decision decision;
    private boolean enrolled;
    private final List<String> asked = new ArrayList<>();
    private final List<Boolean> withOwnerKey = new ArrayList<>();

    private FixedPresenceVerifier(Decision decision, boolean enrolled) {
        this.decision = decision;
        this.enrolled = enrolled;
    }

    public static FixedPresenceVerifier present() { return new FixedPresenceVerifier(new Decision(true, "test: token present"), true); }

    public static FixedPresenceVerifier absent(String reason) { return new FixedPresenceVerifier(new Decision(false, reason), false); }

    public synchronized void answer(boolean present, String reason) { decision = new Decision(present, reason); }

    /** Whether it says a token is enrolled (lockdown exit asks only then). */
    public synchronized void enrolled(boolean yes) { enrolled = yes; }

    @Override
    public synchronized Decision verify(Request request) {
        asked.add(request.purpose());
        withOwnerKey.add(request.ownerKey().isPresent());
        return decision;
    }

    @Override public synchronized boolean anyEnrolled() { return enrolled; }

    public synchronized List<String> asked() { return List.copyOf(asked); }

    public synchronized List<Boolean> withOwnerKey() { return List.copyOf(withOwnerKey); }
}
