package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.port.RefusalHistory;

/**
 * After each refused recall or wrong secret, counts recent refusals (from the audit log) and puts the
 * vault in lockdown when the {@link AnomalyRule} says they look like an attack. The lockdown entry records why.
 */
public final class AnomalyWatch {
    private final RefusalHistory history;
    private final AnomalyRule rule;
    private final EnterLockdown lockdown;
    private final Clock clock;
    private final VaultStateRepository state;

    public AnomalyWatch(RefusalHistory history, AnomalyRule rule, EnterLockdown lockdown, VaultStateRepository state, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.history = Objects.requireNonNull(history, "history");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.lockdown = Objects.requireNonNull(lockdown, "lockdown");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks the rule for this requester; enters lockdown and returns the reason if it tripped. */
    public Optional<String> afterRefusal(String requester) {
        return after(requester, (byRequester, total) -> rule.check(requester, byRequester, total));
    }

    /**
     * After a wrong secret for a profile (recorded in the audit log with requester
     * {@link #secretRequester}): counts it like a refused recall, per profile and in the total.
     */
    public Optional<String> afterSecretRefusal(String profile) {
        return after(secretRequester(profile), (byProfile, total) -> rule.checkSecrets(profile, byProfile, total));
    }

    /** The requester under which wrong secrets for a profile are counted; never a principal name (they have no colon). */
    public static String secretRequester(String profile) { return "secret:" + profile; }

    private Optional<String> after(String requester, java.util.function.BiFunction<Long, Long, Optional<String>> check) {
        if (!rule.enabled()) return Optional.empty();
        LockdownState current = state.lockdown();
        if (current.active()) return Optional.empty();
        // refusals before the owner last left lockdown were already answered by that lockdown
        Instant since = clock.instant().minus(rule.window());
        if (current.since().isPresent() && current.since().get().isAfter(since)) since = current.since().get();
        long byRequester = history.refusedRecalls(Optional.of(requester), since);
        Instant from = since;
        long total = byRequester >= rule.perRequester() ? 0 : history.refusedRecalls(Optional.empty(), from);
        Optional<String> reason = check.apply(byRequester, total);
        reason.ifPresent(r -> lockdown.execute(new EnterLockdown.Request(r, "anomaly-detector")));
        return reason;
    }
}
