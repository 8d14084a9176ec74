package org.memoryvault.domain.model;

import java.util.Optional;

/** Which memories {@code list} shows: optionally one level; tombstoned ones only when asked. */
public record MemoryFilter(Optional<org.memoryvault.domain.model.Classification> classification,
                           boolean includeTombstoned, int limit) {
    public MemoryFilter {
        java.util.Objects.requireNonNull(classification, "classification");
        if (limit < 1 || limit > 100_000) {
            throw new org.memoryvault.domain.error.InvalidInputException(
                    org.memoryvault.domain.error.ErrorCode.INPUT_INVALID, "limit must be from 1 to 100000");
        }
    }
}
