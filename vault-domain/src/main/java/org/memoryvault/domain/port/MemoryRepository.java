package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.model.SearchQuery;

/**
 * Where memories live. Calls made inside {@link Transactions} join that transaction.
 *
 * <p>Security: the repository stores ciphertext and metadata only; it never sees plaintext.
 */
public interface MemoryRepository {
    void insert(Memory memory);

    Optional<Memory> find(MemoryId id);

    List<Memory> list(MemoryFilter filter);

    /** Matches the query's terms against metadata (and, if asked, recall justifications), best first. */
    List<SearchHit> search(SearchQuery query);

    /**
     * Records a granted recall: sets last-recalled time and keeps the justification searchable;
     * but only if, as stored now, the memory is not tombstoned and its cooldown has passed at
     * {@code at} (another process may have tombstoned or recalled it since it was read). Returns
     * whether it recorded; an unknown id is {@code NOT_FOUND_MEMORY}. Called inside the grant's
     * transaction, so the check and the write are one atomic step.
     */
    boolean recordRecall(MemoryId id, Instant at, String requester, String justification);

    /** Replaces a memory's sealed content and commitment (re-sealing the same plaintext under key tiers). */
    void reseal(MemoryId id, SealedContent sealed, ContentCommitment commitment);

    /**
     * A live memory sealed again under another key version of its profile (a re-key): its key
     * version, content and commitment, only if it is still at {@code fromVersion}; false if it is
     * not (moved meanwhile, shredded or gone), and nothing changed.
     */
    boolean rekey(MemoryId id, int fromVersion, int keyVersion, SealedContent sealed, ContentCommitment commitment);

    /** Marks the memory tombstoned; when {@code tombstone.shredded()}, destroys its ciphertext. */
    void tombstone(MemoryId id, Tombstone tombstone);

    /** Deletes the level-0 memories created before {@code cutoff}; returns their ids. */
    List<MemoryId> purgeEphemeral(Instant cutoff);

    long count();

    /**
     * Every memory (tombstoned ones included) with an id greater than {@code after}, in id order, at
     * most {@code limit}: pages for a full scan such as {@code vault verify --deep}.
     */
    List<Memory> page(Optional<MemoryId> after, int limit);

    /** A search result: which memory, and where the match was. */
    record SearchHit(MemoryId id, String matchedIn, String snippet) {}
}
