package org.memoryvault.hardware.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TotpProperties {
    /**
     * Any series of attempts, each a code of some step near the clock at some time, with the last
     * accepted step kept as the vault keeps it: accepted steps strictly increase (no code is ever
     * accepted twice, nor an older one after a newer), and each accepted step is within one step of
     * the clock at its attempt.
     */
    @Property(tries = 300)
    void acceptedStepsStrictlyIncrease(@ForAll @Size(min = 20, max = 20) byte[] secret,
                                       @ForAll Totp.Algorithm algorithm, @ForAll @IntRange(min = 6, max = 8) int digits,
                                       @ForAll @Size(max = 30) List<@IntRange(min = -3, max = 3) Integer> codeOffsets,
                                       @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 45) Integer> waits) {
        Totp.Parameters p = new Totp.Parameters(algorithm, digits, 30);
        long seconds = 1_700_000_000L;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < codeOffsets.size(); i++) {
            seconds += i < waits.size() ? waits.get(i) : 0;
            Instant now = Instant.ofEpochSecond(seconds);
            long step = Totp.step(now, 30);
            String code = Totp.hotp(secret, step + codeOffsets.get(i), algorithm, digits);
            OptionalLong accepted = Totp.accept(secret, p, code, now, last);
            if (accepted.isPresent()) {
                assertThat(accepted.getAsLong()).isGreaterThan(last).isBetween(step - 1, step + 1);
                last = accepted.getAsLong();
            } else if (Math.abs(codeOffsets.get(i)) <= 1) {
                // a code of a step in the window is refused only as a replay or an older step
                assertThat(step + codeOffsets.get(i)).isLessThanOrEqualTo(last);
            }
        }
    }
}
