package org.memoryvault.domain.usecase;

import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;

/** Full-text search over metadata and, if asked, recall justifications. Content is never indexed. */
public final class SearchMemories {
    private final MemoryRepository memories;

    public SearchMemories(MemoryRepository memories) { this.memories = Objects.requireNonNull(memories, "memories"); }

    public List<MemoryRepository.SearchHit> execute(SearchQuery query) { return memories.search(query); }
}
