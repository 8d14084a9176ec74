package org.memoryvault.domain.usecase;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;

/** What the configured boundary guard says right now, level by level (for {@code vault boundary status}). No audit entry: it opens nothing. */
public final class BoundaryStatus {
    /** The guard's answer for one level. */
    public record Level(Classification classification, boolean permitted, String reason) {
        public Level {
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final BoundaryGuard guard;

    public BoundaryStatus(BoundaryGuard guard) { this.guard = Objects.requireNonNull(guard, "guard"); }

    public List<Level> execute() {
        List<Level> out = new ArrayList<>();
        for (Classification c : Classification.values()) {
            BoundaryGuard.Decision d = guard.check(c);
            out.add(new Level(c, d.permitted(), d.reason()));
        }
        return out;
    }
}
