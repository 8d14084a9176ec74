package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.memoryvault.domain.error.InvalidInputException;

/** The dead-man switch's rule, on a clock the test moves: triggered exactly when a whole interval passed since the last check-in. */
class DeadManSwitchProperties {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final List<MemoryId> ONE = List.of(new MemoryId(UUID.fromString("00000000-0000-4000-8000-000000000001")));

    @Property(tries = 500)
    void triggered_exactlyWhenAnIntervalPassedSinceTheLastCheckin(@ForAll @IntRange(min = 1, max = 1_000_000) int intervalSeconds,
                                                                  @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 2_000_000) Integer> steps) {
        Duration interval = Duration.ofSeconds(intervalSeconds);
        DeadManSwitch s = DeadManSwitch.armed(T0, interval, ONE, "heirs");
        Instant now = T0;
        Instant last = T0;
        for (int step : steps) {
            now = now.plusSeconds(step);
            boolean overdue = !now.isBefore(last.plus(interval));
            assertThat(s.triggered(now)).isEqualTo(overdue);
            assertThat(s.triggered(now.minusMillis(1))).isEqualTo(!now.minusMillis(1).isBefore(last.plus(interval)));
            if (!overdue) {                 // the owner checks in before the deadline: it moves one interval on from now
                s = s.checkedIn(now);
                last = now;
                assertThat(s.deadline()).isEqualTo(now.plus(interval));
                assertThat(s.triggered(now)).isFalse();
                assertThat(s.triggered(now.plus(interval))).isTrue();
            }
        }
    }

    @Property(tries = 50)
    void intervalsOutsideOneSecondTo3650Days_andEmptyOrRepeatedMemories_areRefused(@ForAll @IntRange(min = -5, max = 0) int seconds) {
        assertThatThrownBy(() -> DeadManSwitch.armed(T0, Duration.ofSeconds(seconds), ONE, "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DeadManSwitch.armed(T0, Duration.ofDays(3651), ONE, "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DeadManSwitch.armed(T0, Duration.ofDays(1), List.of(), "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DeadManSwitch.armed(T0, Duration.ofDays(1), List.of(ONE.get(0), ONE.get(0)), "x"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DeadManSwitch.armed(T0, Duration.ofDays(1), ONE, " ")).isInstanceOf(InvalidInputException.class);
    }
}
