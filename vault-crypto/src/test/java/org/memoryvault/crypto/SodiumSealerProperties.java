package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.time.Instant;
import java.util.Optional;
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
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.port.Sealer;

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
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            assertThat(sealed.content().nonce()).hasSize(24);
            assertThat(sealed.content().ciphertextLength()).isEqualTo(content.length + 16);
            assertThat(sealed.content().wrappedKey()).hasSize(ad.classification().level() <= 2 ? 72 : 80);
            try (Plaintext opened = sealer.open(key, ad, sealed.content(), sealed.commitment())) {
                assertThat(opened.revealForCrypto()).isEqualTo(content);
            }
        }
    }

    @Property(tries = 100)
    void aKeyFileTierKey_opensLevels0To2_andNever3To5(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey owner = owner(ad); DataKey keyFileTier = lowCopy(owner)) {
            Sealer.Sealed sealed = seal(owner, ad, content);
            if (ad.classification().level() <= 2) {
                try (Plaintext p = sealer.open(keyFileTier, ad, sealed.content(), sealed.commitment())) {
                    assertThat(p.revealForCrypto()).isEqualTo(content);
                }
            } else {
                assertThatThrownBy(() -> sealer.open(keyFileTier, ad, sealed.content(), sealed.commitment()))
                        .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_CLEARANCE));
                try (SlotSecret c = SlotSecret.keyFile(random(32))) {
                    PrincipalRecord p = principal(ad.profile(), ad.keyVersion(), Classification.BLACK,
                            sealer.enroll(owner, "agent-1", Classification.BLACK, c));
                    assertThatThrownBy(() -> sealer.release(keyFileTier, ad, sealed.content(), sealed.commitment(), p))
                            .as("only the owner's key releases").isInstanceOf(org.memoryvault.domain.error.InternalVaultException.class);
                }
            }
        }
    }

    @Property(tries = 100)
    void anyoneWithATierKey_canStoreAtLevels3To5_butOnlyTheOwnerOpensThem(@ForAll("ads") AssociatedData ad,
                                                                        @ForAll("smallContents") byte[] content) {
        Assume.that(ad.classification().level() >= 3);
        try (DataKey owner = owner(ad); DataKey keyFileTier = lowCopy(owner)) {
            TierLocks locks = sealer.locks(owner, false);
            Sealer.Sealed sealed;
            try (Plaintext p = Plaintext.adopt(content.clone())) {
                sealed = sealer.seal(keyFileTier, locks, ad, p);
            }
            try (Plaintext p = sealer.open(owner, ad, sealed.content(), sealed.commitment())) {
                assertThat(p.revealForCrypto()).isEqualTo(content);
            }
            assertThatThrownBy(() -> sealer.open(keyFileTier, ad, sealed.content(), sealed.commitment()))
                    .isInstanceOf(AccessRefusedException.class);
        }
    }

    @Property(tries = 60)
    void anAgentCredential_opensUpToItsClearance_capped_at2(@ForAll("ads") AssociatedData ad, @ForAll Classification clearance,
                                                            @ForAll("smallContents") byte[] content) {
        try (DataKey owner = owner(ad); SlotSecret credential = SlotSecret.keyFile(random(32))) {
            Sealer.Sealed sealed = seal(owner, ad, content);
            Sealer.Enrollment e = sealer.enroll(owner, "agent-1", clearance, credential);
            try (DataKey agent = sealer.authenticate(principal(ad.profile(), ad.keyVersion(), clearance, e), credential)) {
                assertThat(agent.reach()).isEqualTo(Math.min(clearance.level(), 2));
                if (ad.classification().level() <= agent.reach()) {
                    try (Plaintext p = sealer.open(agent, ad, sealed.content(), sealed.commitment())) {
                        assertThat(p.revealForCrypto()).isEqualTo(content);
                    }
                } else {
                    assertThatThrownBy(() -> sealer.open(agent, ad, sealed.content(), sealed.commitment()))
                            .isInstanceOf(AccessRefusedException.class);
                }
            }
        }
    }

    @Property(tries = 60)
    void aWrongCredential_orAnEditedClearance_opensNothing(@ForAll("ads") AssociatedData ad, @ForAll Classification clearance) {
        try (DataKey owner = owner(ad); SlotSecret credential = SlotSecret.keyFile(random(32));
             SlotSecret wrong = SlotSecret.keyFile(random(32))) {
            Sealer.Enrollment e = sealer.enroll(owner, "agent-1", clearance, credential);
            PrincipalRecord row = principal(ad.profile(), ad.keyVersion(), clearance, e);
            assertThatThrownBy(() -> sealer.authenticate(row, wrong))
                    .isInstanceOfSatisfying(AccessRefusedException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
            Classification raised = Classification.ofLevel((clearance.level() + 1) % 6);
            assertThatThrownBy(() -> sealer.authenticate(principal(ad.profile(), ad.keyVersion(), raised, e), credential))
                    .as("a clearance edited in the database breaks the credential's key").isInstanceOf(AccessRefusedException.class);
        }
    }

    @Property(tries = 60)
    void aReleasedKey_opensThatMemory_forThatAgentOnly(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey owner = owner(ad); SlotSecret c1 = SlotSecret.keyFile(random(32)); SlotSecret c2 = SlotSecret.keyFile(random(32))) {
            Sealer.Sealed sealed = seal(owner, ad, content);
            Sealer.Enrollment e1 = sealer.enroll(owner, "agent-1", Classification.BLACK, c1);
            Sealer.Enrollment e2 = sealer.enroll(owner, "agent-2", Classification.BLACK, c2);
            byte[] release = sealer.release(owner, ad, sealed.content(), sealed.commitment(),
                    principal(ad.profile(), ad.keyVersion(), Classification.BLACK, e1, "agent-1"));
            try (DataKey a1 = sealer.authenticate(principal(ad.profile(), ad.keyVersion(), Classification.BLACK, e1, "agent-1"), c1);
                 DataKey a2 = sealer.authenticate(principal(ad.profile(), ad.keyVersion(), Classification.BLACK, e2, "agent-2"), c2)) {
                try (Plaintext p = sealer.openReleased(a1, release, ad, sealed.content(), sealed.commitment())) {
                    assertThat(p.revealForCrypto()).isEqualTo(content);
                }
                assertTampered(() -> sealer.openReleased(a2, release, ad, sealed.content(), sealed.commitment()));
                Sealer.Sealed another = seal(owner, ad, content);
                assertTampered(() -> sealer.openReleased(a1, release, ad, another.content(), another.commitment()));
            }
        }
    }

    @Property(tries = 40)
    void theOwner_neverReleasesAKeyMovedInFromAnotherMemory(@ForAll("ads") AssociatedData ad, @ForAll("ads") AssociatedData other,
                                                           @ForAll("smallContents") byte[] content) {
        Assume.that(ad.classification().level() >= 3 && !other.id().equals(ad.id()));
        try (DataKey owner = owner(ad); SlotSecret c = SlotSecret.keyFile(random(32))) {
            TierLocks locks = sealer.locks(owner, false);
            AssociatedData secretAd = new AssociatedData(ad.formatVersion(), other.id(), ad.classification(), ad.profile(),
                    ad.keyVersion(), ad.createdAt(), ad.createdBy());
            Sealer.Sealed decoy;
            Sealer.Sealed secret;
            try (Plaintext p = Plaintext.adopt(content.clone()); Plaintext q = Plaintext.adopt("the real secret".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))) {
                decoy = sealer.seal(owner, locks, ad, p);
                secret = sealer.seal(owner, locks, secretAd, q);
            }
            PrincipalRecord agent = principal(ad.profile(), ad.keyVersion(), Classification.BLACK,
                    sealer.enroll(owner, "agent-1", Classification.BLACK, c));
            SealedContent forged = new SealedContent(decoy.content().nonce(), decoy.content().ciphertext(),
                    secret.content().wrappedKey());
            assertTampered(() -> sealer.release(owner, ad, forged, decoy.commitment(), agent));
        }
    }

    @Property(tries = 40)
    void aPrincipalRowEditedOutsideTheVault_orSwappedPublicKeys_areCaughtByTheOwnersKey(@ForAll("ads") AssociatedData ad,
                                                                                        @ForAll @IntRange(min = 0, max = 95) int at) {
        try (DataKey owner = owner(ad); SlotSecret c = SlotSecret.keyFile(random(32)); DataKey stranger = owner(ad)) {
            Sealer.Enrollment e = sealer.enroll(owner, "agent-1", Classification.WORKING, c);
            PrincipalRecord honest = principal(ad.profile(), ad.keyVersion(), Classification.WORKING, e);
            sealer.requireAuthentic(owner, honest);
            PrincipalRecord otherBox = new PrincipalRecord("agent-1", ad.profile(), Classification.WORKING, ad.keyVersion(),
                    e.credentialId(), random(32), e.wrappedKey(), e.ownerMac(), Optional.empty(), Instant.EPOCH);
            PrincipalRecord raised = principal(ad.profile(), ad.keyVersion(), Classification.BLACK, e);
            assertTampered(() -> sealer.requireAuthentic(owner, otherBox));
            assertTampered(() -> sealer.requireAuthentic(owner, raised));
            assertTampered(() -> sealer.requireAuthentic(stranger, honest));

            TierLocks locks = sealer.locks(owner, false);
            sealer.requireAuthentic(owner, locks);
            byte[] keys = locks.publicKeys();
            keys[at] ^= 1;
            assertTampered(() -> sealer.requireAuthentic(owner, new TierLocks(keys, Optional.empty())));
            assertTampered(() -> sealer.requireAuthentic(stranger, locks));
        }
    }

    @Property(tries = 50)
    void sealingTwice_neverReusesANonceOrAContentKey(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = owner(ad)) {
            Sealer.Sealed a = seal(key, ad, content);
            Sealer.Sealed b = seal(key, ad, content);
            assertThat(a.content().nonce()).isNotEqualTo(b.content().nonce());
            assertThat(a.commitment()).as("the commitment is keyed by each memory's own key").isNotEqualTo(b.commitment());
        }
    }

    @Property(tries = 300)
    void editingAnyBoundField_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad, @ForAll Field field,
                                                         @ForAll("smallContents") byte[] content) {
        Assume.that(field != Field.CLASSIFICATION && field != Field.PROFILE_ID && field != Field.KEY_VERSION);
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            AssociatedData edited = edit(ad, field);
            assertThat(edited.encode()).isNotEqualTo(ad.encode());
            assertTampered(() -> sealer.open(key, edited, sealed.content(), sealed.commitment()));
        }
    }

    @Property(tries = 100)
    void editingTheClassificationProfileOrVersion_opensNothing(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            for (Field f : new Field[] {Field.CLASSIFICATION, Field.PROFILE_ID, Field.KEY_VERSION}) {
                AssociatedData edited = edit(ad, f);
                assertThatThrownBy(() -> sealer.open(key, edited, sealed.content(), sealed.commitment()))
                        .as(f.name()).isInstanceOfAny(IntegrityException.class, AccessRefusedException.class);
            }
        }
    }

    @Property(tries = 200)
    void flippingAnyBitOfTheNonceOrTheWrappedKey_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                                           @ForAll("smallContents") byte[] content,
                                                                           @ForAll @IntRange(min = 0, max = 24 * 8 - 1) int bit,
                                                                           @ForAll @IntRange(min = 0, max = 72 * 8 - 1) int keyBit) {
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            Sealer.Sealed other = seal(key, ad, content);
            SealedContent x = sealed.content();
            assertTampered(() -> sealer.open(key, ad, new SealedContent(flip(x.nonce(), bit), x.ciphertext(), x.wrappedKey()),
                    sealed.commitment()));
            assertTampered(() -> sealer.open(key, ad, new SealedContent(x.nonce(), x.ciphertext(), flip(x.wrappedKey(), keyBit)),
                    sealed.commitment()));
            assertTampered(() -> sealer.open(key, ad, x, other.commitment()));   // another memory's commitment
        }
    }

    @Property(tries = 300)
    void flippingAnyBitOfTheCiphertextOrCommitment_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                                            @ForAll("smallContents") byte[] content,
                                                                            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            SealedContent x = sealed.content();
            int bit = position % (x.ciphertextLength() * 8);
            assertTampered(() -> sealer.open(key, ad, new SealedContent(x.nonce(), flip(x.ciphertext(), bit), x.wrappedKey()),
                    sealed.commitment()));
            String hex = sealed.commitment().hex();
            int at = position % 64;
            String other = hex.substring(0, at) + (hex.charAt(at) == '0' ? '1' : '0') + hex.substring(at + 1);
            assertTampered(() -> sealer.open(key, ad, x, new ContentCommitment(other)));
        }
    }

    @Property(tries = 100)
    void truncatingOrExtendingTheCiphertext_failsWithIntegrityTampered(@ForAll("ads") AssociatedData ad,
                                                                       @ForAll("smallContents") byte[] content,
                                                                       @ForAll @IntRange(min = -600, max = 16) int delta) {
        Assume.that(delta != 0);
        try (DataKey key = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            SealedContent x = sealed.content();
            int length = Math.max(0, x.ciphertextLength() + delta);
            assertTampered(() -> sealer.open(key, ad, new SealedContent(x.nonce(), Arrays.copyOf(x.ciphertext(), length),
                    x.wrappedKey()), sealed.commitment()));
        }
    }

    @Property(tries = 100)
    void anotherProfilesKey_opensNothing(@ForAll("ads") AssociatedData ad, @ForAll("smallContents") byte[] content) {
        try (DataKey key = owner(ad); DataKey other = owner(ad)) {
            Sealer.Sealed sealed = seal(key, ad, content);
            assertTampered(() -> sealer.open(other, ad, sealed.content(), sealed.commitment()));
        }
    }

    private DataKey owner(AssociatedData ad) { return sealer.newDataKey(ad.profile(), ad.keyVersion()); }

    /** What a key file's slot holds of an owner's key: the level-2 tier key only. */
    private static DataKey lowCopy(DataKey owner) {
        return new SodiumDataKey(owner.profile(), owner.keyVersion(), SodiumDataKey.copyOf(owner));
    }

    private Sealer.Sealed seal(DataKey key, AssociatedData ad, byte[] content) {
        try (Plaintext p = Plaintext.adopt(content.clone())) {
            return sealer.seal(key, sealer.locks(key, false), ad, p);
        }
    }

    private static PrincipalRecord principal(ProfileId profile, int keyVersion, Classification clearance, Sealer.Enrollment e) {
        return principal(profile, keyVersion, clearance, e, "agent-1");
    }

    private static PrincipalRecord principal(ProfileId profile, int keyVersion, Classification clearance, Sealer.Enrollment e,
                                             String name) {
        return new PrincipalRecord(name, profile, clearance, keyVersion, e.credentialId(), e.boxPublicKey(), e.wrappedKey(), e.ownerMac(),
                Optional.empty(), Instant.EPOCH);
    }

    private static byte[] random(int n) { return new Libsodium(Libsodium.sharedBinding()).randomBytes(n); }

    private static void assertTampered(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
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
