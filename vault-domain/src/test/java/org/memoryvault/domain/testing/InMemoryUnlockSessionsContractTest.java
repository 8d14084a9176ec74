package org.memoryvault.domain.testing;

import java.util.SplittableRandom;

/** The use-case tests' sessions pass the contract the file store passes. */
class InMemoryUnlockSessionsContractTest extends UnlockSessionsContract {
    @Override protected Subject newSessions() {
        MutableClock clock = MutableClock.startingAt();
        InMemoryUnlockSessions sessions = new InMemoryUnlockSessions(clock);
        return new Subject(sessions, new InsecureTestSealer(new SplittableRandom(5)), clock, sessions.token());
    }
}
