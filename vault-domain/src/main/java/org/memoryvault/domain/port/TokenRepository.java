package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.PresenceToken;

/** Enrolled presence tokens (docs/FORMAT.md §13). Calls inside {@link Transactions} join it. */
public interface TokenRepository {
    /** Adds a token; {@code INPUT_INVALID} if one of that name exists. */
    void insert(PresenceToken token);

    Optional<PresenceToken> find(String name);

    /** Whether a row of that name exists (without reading it). */
    boolean exists(String name);

    /** Every token, by name. */
    List<PresenceToken> list();

    /** Removes it; false if there was none. */
    boolean remove(String name);

    /**
     * Records that the token was accepted for {@code counter}, only if it never was for that counter
     * or a later one: one atomic compare-and-set, so two processes cannot both accept one code.
     * False when it was (a replay), or when there is no such token.
     */
    boolean advance(String name, long counter);
}
