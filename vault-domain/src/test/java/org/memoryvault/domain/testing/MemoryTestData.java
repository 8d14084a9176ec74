package org.memoryvault.domain.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.Tombstone;

/**
 * Builds {@link Memory} values for tests: {@code aMemory().withClassification(SEALED).build()}.
 * Defaults are valid and millisecond-exact (as stored); every build gets a fresh random id
 * unless one is given. The sealed content is dummy bytes, not something a sealer can open.
 */
public final class MemoryTestData {
    public static final Instant DEFAULT_CREATED_AT = Instant.parse("2025-01-15T09:00:00Z");
    public static final ProfileId DEFAULT_PROFILE = ProfileId.of("default");
    public static final String DEFAULT_COMMITMENT = "c0ffee".repeat(10) + "abcd";

    private MemoryTestData() {}

    public static Builder aMemory() { return new Builder(); }

    /** A fresh random version-4 id. */
    public static MemoryId aMemoryId() { return new MemoryId(UUID.randomUUID()); }

    /** Dummy sealed content: a fixed nonce and {@code length} bytes of a repeating pattern plus a fake tag. */
    public static SealedContent dummySealed(int length) {
        byte[] nonce = new byte[SealedContent.NONCE_BYTES];
        for (int i = 0; i < nonce.length; i++) nonce[i] = (byte) (i * 7 + 1);
        byte[] ct = new byte[length + SealedContent.TAG_BYTES];
        for (int i = 0; i < ct.length; i++) ct[i] = (byte) (i * 31 + 3);
        return new SealedContent(nonce, ct);
    }

    public static final class Builder {
        private MemoryId id = aMemoryId();
        private Instant createdAt = DEFAULT_CREATED_AT;
        private String createdBy = "agent-a";
        private Classification classification = Classification.WORKING;
        private ProfileId profile = DEFAULT_PROFILE;
        private int keyVersion = 1;
        private AccessPolicy policy = AccessPolicy.DEFAULT;
        private Metadata metadata = new Metadata("{\"topic\":\"garden\",\"note\":\"tomatoes need water\"}");
        private List<String> intentRefs = List.of();
        private ContentCommitment commitment = new ContentCommitment(DEFAULT_COMMITMENT);
        private Optional<SealedContent> sealed = Optional.of(dummySealed(20));
        private Optional<Tombstone> tombstone = Optional.empty();
        private Optional<Instant> lastRecalledAt = Optional.empty();

        private Builder() {}

        public Builder withId(MemoryId value) { id = value; return this; }
        public Builder withCreatedAt(Instant value) { createdAt = value.truncatedTo(ChronoUnit.MILLIS); return this; }
        public Builder createdMinutesAgo(long minutes) { createdAt = DEFAULT_CREATED_AT.minus(Duration.ofMinutes(minutes)); return this; }
        public Builder withCreatedBy(String value) { createdBy = value; return this; }
        public Builder withClassification(Classification value) { classification = value; return this; }
        public Builder withProfile(ProfileId value) { profile = value; return this; }
        public Builder withKeyVersion(int value) { keyVersion = value; return this; }
        public Builder withPolicy(AccessPolicy value) { policy = value; return this; }
        public Builder withCooldown(Duration value) { policy = new AccessPolicy(new Cooldown(value)); return this; }
        public Builder withMetadata(String json) { metadata = new Metadata(json); return this; }
        public Builder withMetadata(Metadata value) { metadata = value; return this; }
        public Builder withIntentRefs(String... refs) { intentRefs = List.of(refs); return this; }
        public Builder withCommitment(ContentCommitment value) { commitment = value; return this; }
        public Builder withSealed(SealedContent value) { sealed = Optional.of(value); return this; }
        public Builder shredded() { sealed = Optional.empty(); return this; }
        public Builder withTombstone(Tombstone value) {
            tombstone = Optional.of(value);
            if (value.shredded()) sealed = Optional.empty();
            return this;
        }
        public Builder tombstoned() { return withTombstone(new Tombstone(createdAt.plusSeconds(60), "test", "owner", false)); }
        public Builder withLastRecalledAt(Instant value) { lastRecalledAt = Optional.of(value.truncatedTo(ChronoUnit.MILLIS)); return this; }

        public Memory build() {
            return new Memory(id, createdAt, createdBy, classification, profile, keyVersion, policy, metadata, intentRefs,
                    commitment, sealed, tombstone, lastRecalledAt);
        }
    }
}
