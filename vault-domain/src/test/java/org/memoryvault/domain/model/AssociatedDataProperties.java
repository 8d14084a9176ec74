package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.testing.DomainArbitraries;

/**
 * The associated-data encoding (docs/FORMAT.md §2) is injective: changing any one field changes
 * the bytes, so no database edit of a bound field can keep a ciphertext valid.
 */
class AssociatedDataProperties {

    @Provide
    Arbitrary<AssociatedData> ads() {
        Arbitrary<String> createdBy = Arbitraries.oneOf(DomainArbitraries.principalNames(),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30));             // any Unicode, as stored
        return Combinators.combine(DomainArbitraries.memoryIds(), DomainArbitraries.classifications(),
                        DomainArbitraries.profileIds(), Arbitraries.integers().between(1, Integer.MAX_VALUE),
                        DomainArbitraries.instants(), createdBy)
                .as((id, c, profile, version, at, by) -> new AssociatedData(AssociatedData.FORMAT_VERSION, id, c, profile, version, at, by));
    }

    @Property(tries = 300)
    void encode_isDeterministic(@ForAll("ads") AssociatedData ad) {
        assertThat(ad.encode()).isEqualTo(ad.encode()).isNotSameAs(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenTheIdChanges(@ForAll("ads") AssociatedData ad, @ForAll("ads") AssociatedData other) {
        if (other.id().equals(ad.id())) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), other.id(), ad.classification(), ad.profile(),
                ad.keyVersion(), ad.createdAt(), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenTheClassificationChanges(@ForAll("ads") AssociatedData ad, @ForAll Classification c) {
        if (c == ad.classification()) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), ad.id(), c, ad.profile(), ad.keyVersion(),
                ad.createdAt(), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenTheProfileChanges(@ForAll("ads") AssociatedData ad, @ForAll("ads") AssociatedData other) {
        if (other.profile().equals(ad.profile())) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), other.profile(),
                ad.keyVersion(), ad.createdAt(), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenTheKeyVersionChanges(@ForAll("ads") AssociatedData ad, @ForAll int version) {
        if (version == ad.keyVersion()) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(),
                version, ad.createdAt(), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenCreatedAtChangesByAnyMillisecond(@ForAll("ads") AssociatedData ad, @ForAll long deltaMillis) {
        if (deltaMillis == 0 || Math.abs(deltaMillis) > 1_000_000_000_000L) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(),
                ad.keyVersion(), ad.createdAt().plusMillis(deltaMillis), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenCreatedByChanges(@ForAll("ads") AssociatedData ad, @ForAll("ads") AssociatedData other) {
        if (other.createdBy().equals(ad.createdBy())) return;
        AssociatedData changed = new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(),
                ad.keyVersion(), ad.createdAt(), other.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_changesWhenTheFormatVersionChanges(@ForAll("ads") AssociatedData ad) {
        AssociatedData changed = new AssociatedData(ad.formatVersion() + 1, ad.id(), ad.classification(), ad.profile(),
                ad.keyVersion(), ad.createdAt(), ad.createdBy());
        assertThat(changed.encode()).isNotEqualTo(ad.encode());
    }

    @Property(tries = 300)
    void encode_isInjective_overAnyTwoRecords(@ForAll("ads") AssociatedData a, @ForAll("ads") AssociatedData b) {
        if (a.equals(b)) return;
        assertThat(a.encode()).isNotEqualTo(b.encode());
    }

    @Property(tries = 300)
    void encode_lengthPrefixes_keepProfileAndCreatedByApart(@ForAll("ads") AssociatedData ad) {
        // moving a character across the profile / created-by boundary must change the bytes
        String p = ad.profile().value();
        if (p.length() < 2) return;
        AssociatedData shifted = new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(),
                ProfileId.of(p.substring(0, p.length() - 1)), ad.keyVersion(), ad.createdAt(), p.charAt(p.length() - 1) + ad.createdBy());
        assertThat(shifted.encode()).isNotEqualTo(ad.encode());
    }

    @Test
    void encode_followsTheDocumentedLayout() {
        UUID uuid = UUID.fromString("123e4567-e89b-42d3-a456-426614174000");
        Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
        byte[] bytes = new AssociatedData(1, new MemoryId(uuid), Classification.SEALED, ProfileId.of("work"), 7, at, "agent-ä").encode();

        byte[] by = "agent-ä".getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(4 + 1 + 16 + 1 + 2 + 4 + 4 + 8 + 2 + by.length)
                .put("MVAD".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .put((byte) 3).putShort((short) 4).put("work".getBytes(StandardCharsets.US_ASCII))
                .putInt(7).putLong(1_700_000_000_123L).putShort((short) by.length).put(by);
        assertThat(bytes).isEqualTo(expected.array());
    }
}
