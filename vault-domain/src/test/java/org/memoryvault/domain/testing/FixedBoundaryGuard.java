package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;

/** A {@link BoundaryGuard} with a settable answer; records the levels it was asked about and counts {@link #forgetPermits()}. */
public final class FixedBoundaryGuard implements BoundaryGuard {
    private Decision decision;
    private final List<Classification> checked = new ArrayList<>();
    private int forgetPermitsCalls;

    private FixedBoundaryGuard(Decision decision) { this.decision = decision; }

    public static FixedBoundaryGuard permitting() { return new FixedBoundaryGuard(Decision.permit("test: permitted")); }

    public static FixedBoundaryGuard refusing(String reason) { return new FixedBoundaryGuard(Decision.refuse(reason)); }

    public synchronized void answer(Decision next) { decision = Objects.requireNonNull(next, "next"); }

    @Override
    public synchronized Decision check(Classification level) {
        checked.add(level);
        return decision;
    }

    public synchronized List<Classification> checked() { return List.copyOf(checked); }

    @Override
    public synchronized void forgetPermits() { forgetPermitsCalls++; }

    /** How often {@link #forgetPermits()} was called (lockdown drops cached permits). */
    public synchronized int forgetPermitsCalls() { return forgetPermitsCalls; }
}
