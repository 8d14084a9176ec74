package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;

@PropertyDefaults(edgeCases = EdgeCasesMode.MIXIN)
class SodiumSealerProperties {
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    /** Each field bound by the associated data (ARCHITECTURE §4). */
    enum Field { FORMAT_VERSION, MEMORY_ID, CLASSIFICATION, PROFILE_ID, KEY_VERSION, CREATED_AT, CREATED_BY }

    @Provide Arbitrary<AssociatedData> ads() { return CryptoArbitraries.associatedData(); }

    @Provide Arbitrary<byte[]> contents() { return CryptoArbitraries.contents(64 * 1024); }

    @Provide Arbitrary<byte[]> smallContents() { return CryptoArbitraries.contents(512); }

    @Property(tries = 200)
    void sealThenOpen_returnsTheSameContent(@ForAll("ads") AssociatedData ad, @ForAll("contents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            SealedContent sealed = seal(key, ad, content);
            assertThat(sealed.nonce()).hasSize(24);
            assertThat(sealed.ciphertextLength()).isEqualTo(content.length + 16);
            try (Plaintext opened = sealer.open(key, ad, sealed)) {
                assertThat(opened.revealForCrypto()).isEqualTo(content);
            }
        }
    }

    @Property(tries = 50)
    void sealingTwice_neverReusesANonce(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            assertThat(seal(key, ad, content).nonce()).isNotEqualTo(seal(key, ad, content).nonce());
        }
    }

    @Property(tries = 300)
    void editingAnyBoundField_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad, @ForAll Field field,
                                                         @ForAll("smallContents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            SealedContent sealed = seal(key, ad, content);
            AssociatedData edited = edit(ad, field);
            assertThat(edited.encode()).isNotEqualTo(ad.encode());
            assertTampered(key, edited, sealed);
        }
    }

    @Property(tries = 200)
    void flippingAnyBitOfTheNonce_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                             @ForAll("smallContents") byte[] content,
                                                             @ForAll @IntRange(min = 0, max = 24 * 8 - 1) int bit) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            SealedContent sealed = seal(key, ad, content);
            assertTampered(key, ad, new SealedContent(flip(sealed.nonce(), bit), sealed.ciphertext()));
        }
    }

    @Property(tries = 300)
    void flippingAnyBitOfTheCiphertext_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                                  @ForAll("smallContents") byte[] content,
                                                                  @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            SealedContent sealed = seal(key, ad, content);
            int bit = position % (sealed.ciphertextLength() * 8);
            assertTampered(key, ad, new SealedContent(sealed.nonce(), flip(sealed.ciphertext(), bit)));
        }
    }

    @Property(tries = 100)
    void truncatingOrExtendingTheCiphertext_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                                       @ForAll("smallContents") byte[] content,
                                                                       @ForAll @IntRange(min = -600, max = 16) int delta) {
        Assume.that(delta != 0);
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            SealedContent sealed = seal(key, ad, content);
            int length = Math.max(0, sealed.ciphertextLength() + delta);
            assertTampered(key, ad, new SealedContent(sealed.nonce(), Arrays.copyOf(sealed.ciphertext(), length)));
        }
    }

    @Property(tries = 100)
    void anotherDataKey_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion());
             DataKey other = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            assertTampered(other, ad, seal(key, ad, content));
        }
    }

    @Property(tries = 100)
    void commitment_isDeterministicForSameKeyIdAndContent(@ForAll("ads") AssociatedData ad, @ForAll("contents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            ContentCommitment a = commit(key, ad.id(), content);
            ContentCommitment b = commit(key, ad.id(), content);
            assertThat(a).isEqualTo(b);
            assertThat(a.matches(b)).isTrue();
            assertThat(a.hex()).matches("[0-9a-f]{64}");
        }
    }

    @Property(tries = 100)
    void commitment_differsForAnotherId(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content,
                                        @ForAll @IntRange(min = 0, max = 127) int bit) {
        MemoryId other = new MemoryId(flipUuid(ad.id().value(), bit));
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            assertThat(commit(key, ad.id(), content).matches(commit(key, other, content))).isFalse();
        }
    }

    @Property(tries = 100)
    void commitment_differsForOtherContent(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content,
                                           @ForAll("smallContents") byte[] otherContent) {
        Assume.that(!Arrays.equals(content, otherContent));
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            assertThat(commit(key, ad.id(), content).matches(commit(key, ad.id(), otherContent))).isFalse();
        }
    }

    @Property(tries = 100)
    void commitment_differsForAnotherKey(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = sealer.newDataKey(ad.profile(), ad.keyVersion());
             DataKey other = sealer.newDataKey(ad.profile(), ad.keyVersion())) {
            assertThat(commit(key, ad.id(), content).matches(commit(other, ad.id(), content))).isFalse();
        }
    }

    private SealedContent seal(DataKey key, AssociatedData ad, byte[] content) {
        try (Plaintext p = Plaintext.adopt(content.clone())) {
            return sealer.seal(key, ad, p);
        }
    }

    private ContentCommitment commit(DataKey key, MemoryId id, byte[] content) {
        try (Plaintext p = Plaintext.adopt(content.clone())) {
            return sealer.commit(key, id, p);
        }
    }

    private void assertTampered(DataKey key, AssociatedData ad, SealedContent sealed) {
        assertThatThrownBy(() -> sealer.open(key, ad, sealed))
                .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
    }

    /** The same associated data with exactly one field changed. */
    static AssociatedData edit(AssociatedData ad, Field field) {
        switch (field) {
            case FORMAT_VERSION:
                return new AssociatedData(ad.formatVersion() + 1, ad.id(), ad.classification(), ad.profile(),
                        ad.keyVersion(), ad.createdAt(), ad.createdBy());
            case MEMORY_ID:
                return new AssociatedData(ad.formatVersion(), new MemoryId(flipUuid(ad.id().value(), 0)), ad.classification(),
                        ad.profile(), ad.keyVersion(), ad.createdAt(), ad.createdBy());
            case CLASSIFICATION:
                return new AssociatedData(ad.formatVersion(), ad.id(),
                        Classification.ofLevel((ad.classification().level() + 1) % 6), ad.profile(), ad.keyVersion(),
                        ad.createdAt(), ad.createdBy());
            case PROFILE_ID:
                String p = ad.profile().value();
                ProfileId other = new ProfileId(p.length() < 64 ? p + "x" : (p.charAt(0) == 'a' ? "b" : "a") + p.substring(1));
                return new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), other, ad.keyVersion(),
                        ad.createdAt(), ad.createdBy());
            case KEY_VERSION:
                int v = ad.keyVersion() == Integer.MAX_VALUE ? ad.keyVersion() - 1 : ad.keyVersion() + 1;
                return new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(), v,
                        ad.createdAt(), ad.createdBy());
            case CREATED_AT:
                return new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(), ad.keyVersion(),
                        ad.createdAt().plus(Duration.ofMillis(1)), ad.createdBy());
            case CREATED_BY:
                return new AssociatedData(ad.formatVersion(), ad.id(), ad.classification(), ad.profile(), ad.keyVersion(),
                        ad.createdAt(), ad.createdBy() + "x");
            default:
                throw new AssertionError(field);
        }
    }

    static byte[] flip(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    private static UUID flipUuid(UUID id, int bit) {
        return bit < 64 ? new UUID(id.getMostSignificantBits() ^ (1L << bit), id.getLeastSignificantBits())
                : new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits() ^ (1L << (bit - 64)));
    }
}
