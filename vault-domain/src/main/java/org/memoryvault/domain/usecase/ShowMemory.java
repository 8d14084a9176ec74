package org.memoryvault.domain.usecase;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.MemoryRepository;

/** A memory's metadata and state, never its content. No gate: metadata is not secret. */
public final class ShowMemory {
    private final MemoryRepository memories;

    public ShowMemory(MemoryRepository memories) { this.memories = Objects.requireNonNull(memories, "memories"); }

    public Memory execute(MemoryId id) {
        return memories.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + id));
    }
}
