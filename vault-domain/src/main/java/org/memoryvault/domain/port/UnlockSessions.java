package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/**
 * Unlocks that outlive one process (each CLI call is a new process): a short-lived, authenticated
 * session record, opened by a token the user holds (docs/THREAT-MODEL.md, "Unlock sessions").
 */
public interface UnlockSessions {
    /** The data key from a live session record of this profile, if the current token opens one. */
    Optional<DataKey> resume(ProfileId profile);

    /** Writes a session record for {@code key} until {@code expiresAt}; returns the token that opens it. */
    SessionToken persist(DataKey key, Instant expiresAt);

    /** Destroys the profile's session record, if any. */
    void destroy(ProfileId profile);

    /** Destroys every session record. */
    void destroyAll();

    /** The token a user exports to use a session. Security: secret; redacted toString. */
    final class SessionToken {
        private final String value;

        public SessionToken(String value) { this.value = java.util.Objects.requireNonNull(value, "value"); }

        public String reveal() { return value; }

        @Override public String toString() { return "SessionToken[redacted]"; }
    }
}
