package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.List;
import org.memoryvault.domain.model.MemoryId;

/** IntentLog links made after a memory was stored (those given at store time live with the memory). */
public interface IntentLinkRepository {
    /** Adds the link; false when it was there already. */
    boolean link(MemoryId memory, String intent, Instant at, String by);

    /** Removes the link; false when there was none. */
    boolean unlink(MemoryId memory, String intent);

    /** The intents linked to {@code memory} after it was stored, in order. */
    List<String> linksOf(MemoryId memory);

    /**
     * The memories with an intent, linked or given at store time, that is {@code prefix} or starts
     * with it (matched as plain text: no character is a wildcard), newest first, at most {@code limit}.
     */
    List<MemoryId> search(String prefix, int limit);
}
