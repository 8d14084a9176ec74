package org.memoryvault.domain.model;

import java.util.Objects;

/**
 * Who makes a request, as the vault has authenticated it. An {@link Agent} presented its
 * credential; everyone else is the {@link Owner}, who holds profile secrets: a key file opens
 * levels 0-2, and levels 3-5 need the owner's passphrase, proved when they are opened.
 * A name alone never makes a requester.
 */
public sealed interface Requester {
    String OWNER_NAME = "owner";

    String name();

    Classification clearance();

    /** The holder of the profile's secrets (no agent credential). */
    record Owner() implements Requester {
        @Override public String name() { return OWNER_NAME; }

        @Override public Classification clearance() { return Classification.BLACK; }
    }

    /**
     * An agent principal that presented its credential; {@code key} is what the credential
     * unlocked (its clearance's tier key and the key approvals are sealed to). The caller closes it.
     */
    record Agent(PrincipalRecord principal, DataKey key) implements Requester {
        public Agent {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(key, "key");
        }

        @Override public String name() { return principal.name(); }

        @Override public Classification clearance() { return principal.clearance(); }
    }
}
