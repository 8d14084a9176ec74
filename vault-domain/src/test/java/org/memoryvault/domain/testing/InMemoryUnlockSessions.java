package org.memoryvault.domain.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * {@link UnlockSessions} in memory, for {@link InsecureTestDataKey}s: a session holds the level-2
 * tier key (never the owner key) until it expires, and resumes only for the token {@link #token()}
 * holds (none by default, so every use-case test starts locked, as a new process would). Passes
 * {@link UnlockSessionsContract} like the real file store. Counts calls for tests that check lockdown
 * and lock reach it.
 */
public final class InMemoryUnlockSessions implements UnlockSessions {
    private record Session(String token, InsecureTestDataKey key, Instant expiresAt) {}

    private final Clock clock;
    private final AtomicReference<Optional<String>> token = new AtomicReference<>(Optional.empty());
    private final Map<ProfileId, Session> sessions = new HashMap<>();
    private int persistCalls;
    private int destroyCalls;
    private int destroyAllCalls;

    public InMemoryUnlockSessions(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); }

    /** The token "the environment" presents ({@code $MEMORY_VAULT_SESSION}); set it to resume a session. */
    public AtomicReference<Optional<String>> token() { return token; }

    @Override
    public synchronized Optional<DataKey> resume(ProfileId profile) {
        Session s = sessions.get(profile);
        if (s == null || token.get().filter(s.token()::equals).isEmpty() || !clock.instant().isBefore(s.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(s.key().withReach(2));
    }

    @Override
    public synchronized SessionToken persist(DataKey key, Instant expiresAt) {
        persistCalls++;
        String t = token.get().orElse("session-" + persistCalls + "-" + System.identityHashCode(key));
        sessions.put(key.profile(), new Session(t, InsecureTestDataKey.of(key).withReach(2), expiresAt));
        return new SessionToken(t);
    }

    @Override public synchronized void destroy(ProfileId profile) {
        destroyCalls++;
        Session s = sessions.remove(profile);
        if (s != null) s.key().close();
    }

    @Override public synchronized void destroyAll() {
        destroyAllCalls++;
        sessions.values().forEach(s -> s.key().close());
        sessions.clear();
    }

    public synchronized int persistCalls() { return persistCalls; }

    public synchronized int destroyCalls() { return destroyCalls; }

    public synchronized int destroyAllCalls() { return destroyAllCalls; }
}
