package org.memoryvault.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored memory: everything but its plaintext. {@code sealed} is empty once the memory was
 * crypto-shredded. {@code createdAt} has millisecond precision (it is bound into the AD).
 */
public record Memory(MemoryId id, Instant createdAt, String createdBy, Classification classification,
                     ProfileId profile, int keyVersion, AccessPolicy policy, Metadata metadata,
                     List<String> intentRefs, ContentCommitment commitment, Optional<SealedContent> sealed,
                     Optional<Tombstone> tombstone, Optional<Instant> lastRecalledAt) {
    public Memory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(metadata, "metadata");
        intentRefs = List.copyOf(intentRefs);
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(tombstone, "tombstone");
        Objects.requireNonNull(lastRecalledAt, "lastRecalledAt");
    }

    public boolean isTombstoned() { return tombstone.isPresent(); }

    /** Level-0 memories expire {@code ttl} after creation. */
    public boolean isExpired(Instant now, Duration ephemeralTtl) {
        return classification.requirements().expires() && !now.isBefore(createdAt.plus(ephemeralTtl));
    }

    public AssociatedData associatedData() { return AssociatedData.of(this); }

    public Memory withTombstone(Tombstone t) {
        return new Memory(id, createdAt, createdBy, classification, profile, keyVersion, policy, metadata, intentRefs,
                t.shredded() ? ContentCommitment.SHREDDED : commitment, t.shredded() ? Optional.empty() : sealed,
                Optional.of(t), lastRecalledAt);
    }

    public Memory withLastRecall(Instant at) {
        return new Memory(id, createdAt, createdBy, classification, profile, keyVersion, policy, metadata, intentRefs,
                commitment, sealed, tombstone, Optional.of(at));
    }
}
