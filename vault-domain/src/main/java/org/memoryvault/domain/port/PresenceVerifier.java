package org.memoryvault.domain.port;

import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;

/**
 * Checks that a human with an enrolled presence token is here now (level-5 recall, lockdown exit,
 * testing a token). Fail-closed: no token, no answer, or anything wrong is a refusal with a reason.
 */
public interface PresenceVerifier {
    Decision verify(Request request);

    /** Whether any presence token is enrolled (lockdown exit asks for one only then). */
    default boolean anyEnrolled() { return false; }

    /**
     * One question. {@code purpose} says what the proof is for, in words for a prompt and the audit log
     * (no secret); {@code ownerKey} is the vault owner's key proved in this same operation, with which
     * a verifier opens the token secrets it keeps sealed (empty when the requester is not the owner).
     * {@code token} names the one token to ask, or is empty for any enrolled one.
     */
    record Request(String purpose, Optional<DataKey> ownerKey, Optional<String> token) {
        public Request {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(ownerKey, "ownerKey");
            Objects.requireNonNull(token, "token");
        }

        public Request(String purpose, Optional<DataKey> ownerKey) { this(purpose, ownerKey, Optional.empty()); }
    }

    record Decision(boolean present, String reason) {}
}
