package org.memoryvault.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The anomaly rule trips exactly at its thresholds, names the trigger, and never trips when disabled. */
class AnomalyRuleProperties {
    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Property(tries = 300)
    void check_tripsExactlyWhenAThresholdIsReached(@ForAll @IntRange(min = 1, max = 50) int perRequester,
                                                   @ForAll @IntRange(min = 1, max = 50) int total,
                                                   @ForAll @LongRange(min = 0, max = 60) long byRequester,
                                                   @ForAll @LongRange(min = 0, max = 60) long inTotal) {
        AnomalyRule rule = new AnomalyRule(true, perRequester, total, WINDOW);

        Optional<String> reason = rule.check("agent-7", byRequester, inTotal);

        assertThat(reason.isPresent()).isEqualTo(byRequester >= perRequester || inTotal >= total);
        if (byRequester >= perRequester) {
            assertThat(reason).contains("anomaly: " + byRequester + " refused recalls by agent-7 within 10m");
        } else if (inTotal >= total) {
            assertThat(reason).contains("anomaly: " + inTotal + " refused recalls in total within 10m");
        }
    }

    @Property(tries = 200)
    void check_neverTripsWhenDisabled(@ForAll @IntRange(min = 1, max = 50) int perRequester,
                                      @ForAll @IntRange(min = 1, max = 50) int total,
                                      @ForAll @LongRange(min = 0, max = 1_000_000) long byRequester,
                                      @ForAll @LongRange(min = 0, max = 1_000_000) long inTotal) {
        AnomalyRule rule = new AnomalyRule(false, perRequester, total, WINDOW);

        assertThat(rule.check("agent-7", byRequester, inTotal)).isEmpty();
    }

    @Property(tries = 100)
    void check_isMonotone_moreRefusalsNeverUntrip(@ForAll @IntRange(min = 1, max = 20) int perRequester,
                                                  @ForAll @IntRange(min = 1, max = 20) int total,
                                                  @ForAll @LongRange(min = 0, max = 30) long byRequester,
                                                  @ForAll @LongRange(min = 0, max = 30) long inTotal,
                                                  @ForAll @LongRange(min = 0, max = 5) long more) {
        AnomalyRule rule = new AnomalyRule(true, perRequester, total, WINDOW);

        if (rule.check("a", byRequester, inTotal).isPresent()) {
            assertThat(rule.check("a", byRequester + more, inTotal + more)).isPresent();
        }
    }

    @Example
    void reason_namesTheWindowInShortForm() {
        AnomalyRule rule = new AnomalyRule(true, 2, 9, Duration.ofSeconds(90));

        assertThat(rule.check("bob", 2, 2)).contains("anomaly: 2 refused recalls by bob within 90s");
        assertThat(AnomalyRule.DEFAULT.enabled()).isTrue();
    }

    @Example
    void nonPositiveThresholds_areRejected() {
        assertThatThrownBy(() -> new AnomalyRule(true, 0, 5, WINDOW)).isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
        assertThatThrownBy(() -> new AnomalyRule(true, 5, 0, WINDOW)).isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
        assertThatThrownBy(() -> new AnomalyRule(true, 5, 5, Duration.ZERO)).isInstanceOf(org.memoryvault.domain.error.InvalidInputException.class);
    }
}
