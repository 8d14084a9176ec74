package org.memoryvault.domain.port;

import org.memoryvault.domain.model.Classification;

/**
 * Decides whether the environment permits recalling a memory of a given level. Fail-closed:
 * implementations answer "refused" for anything they cannot establish.
 */
public interface BoundaryGuard {
    Decision check(Classification level);

    /** Forgets any cached permits (lockdown calls this). Guards that cache nothing need not override it. */
    default void forgetPermits() {}

    record Decision(boolean permitted, String reason) {
        public static Decision permit(String reason) { return new Decision(true, reason); }

        public static Decision refuse(String reason) { return new Decision(false, reason); }
    }
}
