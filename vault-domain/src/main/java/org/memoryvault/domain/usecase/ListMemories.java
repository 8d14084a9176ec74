package org.memoryvault.domain.usecase;

import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.port.MemoryRepository;

/** Lists memories' metadata, newest first. */
public final class ListMemories {
    private final MemoryRepository memories;

    public ListMemories(MemoryRepository memories) { this.memories = Objects.requireNonNull(memories, "memories"); }

    public List<Memory> execute(MemoryFilter filter) { return memories.list(filter); }
}
