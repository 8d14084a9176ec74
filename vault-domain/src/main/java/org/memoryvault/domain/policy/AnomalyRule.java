package org.memoryvault.domain.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * When refused recalls look like an attack: {@code perRequester} refusals by one requester, or
 * {@code total} refusals by anyone, within {@code window}, put the vault in lockdown. Wrong secrets
 * count too: per profile against {@code perRequester}, and in the total.
 */
public record AnomalyRule(boolean enabled, int perRequester, int total, Duration window) {
    public static final AnomalyRule DEFAULT = new AnomalyRule(true, 5, 20, Duration.ofMinutes(10));

    public AnomalyRule {
        Objects.requireNonNull(window, "window");
        if (perRequester < 1 || total < 1) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_CONFIG,
                    "anomaly thresholds must be positive");
        }
        if (window.isZero() || window.isNegative()) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_CONFIG,
                    "the anomaly window must be longer than 0");
        }
    }

    /** The reason to enter lockdown, if the counts reach a threshold. */
    public java.util.Optional<String> check(String requester, long byRequester, long inTotal) {
        if (!enabled) return java.util.Optional.empty();
        if (byRequester >= perRequester) {
            return java.util.Optional.of("anomaly: " + byRequester + " refused recalls by " + requester + " within "
                    + org.memoryvault.domain.model.Durations.format(window));
        }
        if (inTotal >= total) {
            return java.util.Optional.of("anomaly: " + inTotal + " refused recalls in total within "
                    + org.memoryvault.domain.model.Durations.format(window));
        }
        return java.util.Optional.empty();
    }

    /** Like {@link #check}, after a wrong secret for {@code profile}: {@code byProfile} wrong secrets for it, {@code inTotal} refusals of both kinds. */
    public java.util.Optional<String> checkSecrets(String profile, long byProfile, long inTotal) {
        if (!enabled) return java.util.Optional.empty();
        String within = " within " + org.memoryvault.domain.model.Durations.format(window);
        if (byProfile >= perRequester) return java.util.Optional.of("anomaly: " + byProfile + " wrong secrets for profile " + profile + within);
        if (inTotal >= total) return java.util.Optional.of("anomaly: " + inTotal + " refused recalls and wrong secrets in total" + within);
        return java.util.Optional.empty();
    }
}
