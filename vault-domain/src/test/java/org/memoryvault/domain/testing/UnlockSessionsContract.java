package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * The contract of {@link UnlockSessions}: a session gives back the profile's level-2 key to the
 * holder of its token until it expires or is destroyed, and to nobody else. Run against the file
 * store and the in-memory one the use-case tests use.
 */
public abstract class UnlockSessionsContract {
    /** The sessions under test; they read the current token from {@code token} and the time from {@code clock}. */
    protected record Subject(UnlockSessions sessions, Sealer sealer, MutableClock clock, AtomicReference<Optional<String>> token) {
        public Subject {
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(sealer, "sealer");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(token, "token");
        }
    }

    private static final ProfileId P = ProfileId.of("work");
    private static final ProfileId Q = ProfileId.of("home");

    protected abstract Subject newSessions();

    /** Whether {@code resumed} opens a level-2 memory that {@code original} sealed. */
    private static boolean opens(Sealer sealer, DataKey original, DataKey resumed) {
        AssociatedData ad = new AssociatedData(AssociatedData.FORMAT_VERSION, MemoryId.generate(new SplittableRandom(3)),
                Classification.PRIVATE, original.profile(), original.keyVersion(), Instant.parse("2026-01-01T00:00:00Z"), "owner");
        Sealer.Sealed sealed;
        try (Plaintext p = Plaintext.adopt("kept".getBytes(StandardCharsets.UTF_8))) {
            sealed = sealer.seal(original, sealer.locks(original, false), ad, p);
        }
        try (Plaintext back = sealer.open(resumed, ad, sealed.content(), sealed.commitment())) {
            return new String(back.revealForCrypto(), StandardCharsets.UTF_8).equals("kept");
        }
    }

    @Test
    void theTokenHolder_resumesTheLevel2Key_untilItExpires() {
        Subject s = newSessions();
        try (DataKey key = s.sealer().newDataKey(P, 1)) {
            Instant until = s.clock().instant().plus(Duration.ofMinutes(15));
            UnlockSessions.SessionToken token = s.sessions().persist(key, until);
            s.token().set(Optional.of(token.reveal()));
            try (DataKey resumed = s.sessions().resume(P).orElseThrow()) {
                assertThat(resumed.profile()).isEqualTo(P);
                assertThat(resumed.keyVersion()).isEqualTo(1);
                assertThat(resumed.isOwner()).as("a session never holds the owner key").isFalse();
                assertThat(opens(s.sealer(), key, resumed)).isTrue();
            }
            assertThat(s.sessions().resume(P)).as("closing a resumed key leaves the session").isPresent().get()
                    .satisfies(DataKey::close);
            s.clock().advance(Duration.ofMinutes(15));
            assertThat(s.sessions().resume(P)).as("expired").isEmpty();
        }
    }

    @Test
    void withoutTheToken_orWithAnother_nothingResumes() {
        Subject s = newSessions();
        try (DataKey key = s.sealer().newDataKey(P, 1)) {
            s.sessions().persist(key, s.clock().instant().plus(Duration.ofMinutes(15)));
            s.token().set(Optional.empty());
            assertThat(s.sessions().resume(P)).isEmpty();
            s.token().set(Optional.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
            assertThat(s.sessions().resume(P)).isEmpty();
        }
    }

    @Test
    void destroy_endsOneProfilesSession_destroyAll_every() {
        Subject s = newSessions();
        try (DataKey p = s.sealer().newDataKey(P, 1); DataKey q = s.sealer().newDataKey(Q, 1)) {
            Instant until = s.clock().instant().plus(Duration.ofMinutes(15));
            s.token().set(Optional.of(s.sessions().persist(p, until).reveal()));
            s.sessions().persist(q, until);
            s.sessions().destroy(P);
            assertThat(s.sessions().resume(P)).isEmpty();
            s.sessions().resume(Q).ifPresentOrElse(DataKey::close, () -> { throw new AssertionError("the other session went too"); });
            s.sessions().destroyAll();
            assertThat(s.sessions().resume(Q)).isEmpty();
        }
    }
}
