package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.TokenRepository;

/**
 * The contract of {@link TokenRepository}: rows round-trip, names are unique, and {@code advance} is
 * a compare-and-set that accepts each counter only once and never an older one (replay protection).
 * Run against the fake and the SQLite adapter.
 */
public abstract class TokenRepositoryContract {
    /** A fresh, empty store and what closes it. */
    protected abstract Subject newStore();

    protected record Subject(TokenRepository tokens, AutoCloseable onClose) {
        public Subject {
            java.util.Objects.requireNonNull(tokens, "tokens");
            java.util.Objects.requireNonNull(onClose, "onClose");
        }
    }

    static PresenceToken token(String name) {
        return new PresenceToken(name, "totp", "SHA1/6/30", new byte[] {1, 2, 3}, OptionalLong.empty(), Instant.ofEpochMilli(1_700_000_000_123L));
    }

    private <T> T with(java.util.function.Function<TokenRepository, T> body) {
        Subject s = newStore();
        try {
            return body.apply(s.tokens());
        } finally {
            try {
                s.onClose().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aTokenRoundTripsAndGoes() {
        with(tokens -> {
            tokens.insert(token("phone"));
            PresenceToken back = tokens.find("phone").orElseThrow();
            assertThat(back.kind()).isEqualTo("totp");
            assertThat(back.parameters()).isEqualTo("SHA1/6/30");
            assertThat(back.sealedSecret()).containsExactly(1, 2, 3);
            assertThat(back.lastCounter()).isEmpty();
            assertThat(back.createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
            tokens.insert(token("backup"));
            assertThat(tokens.list()).extracting(PresenceToken::name).containsExactly("backup", "phone");
            assertThatThrownBy(() -> tokens.insert(token("phone"))).isInstanceOf(InvalidInputException.class);
            assertThat(tokens.remove("phone")).isTrue();
            assertThat(tokens.remove("phone")).isFalse();
            assertThat(tokens.find("phone")).isEmpty();
            assertThat(tokens.advance("phone", 1)).as("no such token").isFalse();
            return null;
        });
    }

    /** Any series of counters: each is accepted exactly when it is above every counter accepted before, and the last one is kept. */
    @Property(tries = 40)
    void advanceAcceptsOnlyNewerCounters(@ForAll @Size(max = 25) List<@LongRange(min = -5, max = 40) Long> counters) {
        with(tokens -> {
            tokens.insert(token("phone"));
            long highest = Long.MIN_VALUE;
            for (long c : counters) {
                boolean accepted = tokens.advance("phone", c);
                assertThat(accepted).as("counter " + c + " after " + highest).isEqualTo(c > highest);
                if (accepted) highest = c;
            }
            OptionalLong last = tokens.find("phone").orElseThrow().lastCounter();
            assertThat(last).isEqualTo(highest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(highest));
            return null;
        });
    }

}
