package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.PrincipalRecord;

/** Agent principals (docs/FORMAT.md §10). Calls inside {@link Transactions} join it. */
public interface PrincipalRepository {
    /** Adds a principal; {@code INPUT_INVALID} if one of that name exists. */
    void insert(PrincipalRecord principal);

    Optional<PrincipalRecord> find(String name);

    Optional<PrincipalRecord> findByCredential(String credentialId);

    List<PrincipalRecord> list();

    /** Replaces the principal of the same name (a rotated credential). */
    void replace(PrincipalRecord principal);

    /**
     * Counts one request of the principal against its rate limit (a fixed window starting at its
     * first request) and says whether it is within the limit. Called inside a transaction.
     */
    boolean admit(String name, java.time.Instant now, org.memoryvault.domain.model.RateLimit limit);

    /** Removes it; false if there was none. */
    boolean remove(String name);
}
