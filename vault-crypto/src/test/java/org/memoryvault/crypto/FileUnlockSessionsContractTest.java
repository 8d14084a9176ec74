package org.memoryvault.crypto;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.testing.MutableClock;
import org.memoryvault.domain.testing.UnlockSessionsContract;

/** The session records on disk pass the contract the use-case tests' in-memory sessions pass. */
class FileUnlockSessionsContractTest extends UnlockSessionsContract {
    @TempDir Path dir;

    @Override protected Subject newSessions() {
        MutableClock clock = MutableClock.startingAt();
        AtomicReference<Optional<String>> token = new AtomicReference<>(Optional.empty());
        return new Subject(new FileUnlockSessions(dir.resolve("sessions"), token::get, clock, Libsodium.sharedBinding()),
                CryptoFixtures.sealer(), clock, token);
    }
}
