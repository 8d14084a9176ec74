package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.OwnerSeal;
import org.memoryvault.domain.model.ProfileId;

/** Owner seals and the owner-set rows they cover (docs/FORMAT.md §12). Calls inside {@link Transactions} join it. */
public interface OwnerSealStore {
    /** Digests of the owner-set rows of {@code owner}'s profile as they are stored now. */
    OwnerSeal.StateDigests digest(ProfileId owner);

    /**
     * Whether any presence token is enrolled (then leaving lockdown takes the owner's key whatever
     * {@code lockdown.exit-secret} says, so a sealed lockdown is checked).
     */
    boolean tokensEnrolled();

    /** The newest seal (highest seq), if any. */
    Optional<OwnerSeal> latest();

    /** Every seal, oldest first. */
    List<OwnerSeal> all();

    /** Deletes every seal row numbered above {@code seq} (the owner's reseal drops rows it did not sign). */
    void deleteAbove(long seq);

    /** Appends a seal under {@code seq} (its statement's seq, higher than every stored one). */
    void append(long seq, OwnerSeal seal);
}
