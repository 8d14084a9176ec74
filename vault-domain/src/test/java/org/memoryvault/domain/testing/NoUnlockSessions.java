package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * {@link UnlockSessions} that never resumes anything: every process starts locked. {@link #persist}
 * returns a token that opens nothing. Counts destroy calls so tests can see lockdown and lock reach it.
 */
public final class NoUnlockSessions implements UnlockSessions {
    private int destroyCalls;
    private int destroyAllCalls;
    private int persistCalls;

    @Override public Optional<DataKey> resume(ProfileId profile) { return Optional.empty(); }

    @Override public synchronized SessionToken persist(DataKey key, Instant expiresAt) {
        persistCalls++;
        return new SessionToken("no-session-" + persistCalls);
    }

    @Override public synchronized void destroy(ProfileId profile) { destroyCalls++; }

    @Override public synchronized void destroyAll() { destroyAllCalls++; }

    public synchronized int destroyCalls() { return destroyCalls; }

    public synchronized int destroyAllCalls() { return destroyAllCalls; }

    public synchronized int persistCalls() { return persistCalls; }
}
