package org.memoryvault.adapters.boundary;

import java.util.Objects;

/**
 * What {@code vault boundary status} shows: the daemon's state as its {@code status} command
 * reports it, or why it could not be asked.
 *
 * <p>Security: informational only. A {@link Running} status never permits anything; every recall
 * is still decided by {@link UnixSocketBoundaryGuard#check}. All texts are safe to print.
 */
public sealed interface DaemonStatus {
    /**
     * The daemon answered.
     *
     * @param mode     the boundary mode, lower case as the daemon reports it ({@code open} ... {@code coldroom}, {@code lockdown})
     * @param network  the network state the daemon reports ({@code online}, {@code offline}), or {@code unknown}
     * @param lockdown true when the daemon reports an active lockdown record
     */
    record Running(String mode, String network, boolean lockdown) implements DaemonStatus {
        public Running {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(network, "network");
        }
    }

    /** The daemon could not be asked, or its answer made no sense; {@code reason} says which. */
    record Unavailable(String reason) implements DaemonStatus {
        public Unavailable { Objects.requireNonNull(reason, "reason"); }
    }
}
