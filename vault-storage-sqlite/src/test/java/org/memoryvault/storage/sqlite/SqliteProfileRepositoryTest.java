package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.TierLocks;

class SqliteProfileRepositoryTest {
    @TempDir Path dir;
    private SqliteDatabase db;
    private SqliteProfileRepository profiles;
    private final Fixtures f = new Fixtures(3);

    @BeforeEach
    void open() {
        db = SqliteDatabases.open(dir);
        profiles = new SqliteProfileRepository(db);
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void createThenFind_returnsProfileAndSlotsWithEqualBytes() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        Profile found = profiles.find(p.id()).orElseThrow();

        assertThat(found).usingRecursiveComparison().isEqualTo(p);
        for (int i = 0; i < p.slots().size(); i++) {
            KeySlot want = p.slots().get(i);
            KeySlot got = found.slots().get(i);
            assertThat(got.salt()).isEqualTo(want.salt());
            assertThat(got.nonce()).isEqualTo(want.nonce());
            assertThat(got.wrappedKey()).isEqualTo(want.wrappedKey());
            assertThat(got.kdf()).isEqualTo(want.kdf());
            assertThat(got.type()).isEqualTo(want.type());
            assertThat(got.label()).isEqualTo(want.label());
            assertThat(got.createdAt()).isEqualTo(want.createdAt());
        }
    }

    @Test
    void tierLocks_roundTrip_andUpdateLocksDropsTheEscrow() {
        Profile base = f.profile(ProfileId.of("work"));
        byte[] keys = new byte[96];
        byte[] escrow = new byte[72];
        for (int i = 0; i < keys.length; i++) keys[i] = (byte) i;
        escrow[3] = 9;
        Profile p = new Profile(base.id(), base.createdAt(), base.keyVersion(), base.slots(),
                new TierLocks(keys, java.util.Optional.of(escrow)));
        profiles.create(p);

        assertThat(profiles.find(p.id()).orElseThrow().locks()).isEqualTo(p.locks());
        profiles.updateLocks(p.id(), p.locks().withoutEscrow());
        TierLocks after = profiles.find(p.id()).orElseThrow().locks();
        assertThat(after.ownerEscrow()).isEmpty();
        assertThat(after.publicKeys()).isEqualTo(keys);
        assertThat(profiles.list()).singleElement().satisfies(x -> assertThat(x.locks()).isEqualTo(after));
    }

    @Test
    void aProfileWithoutLocks_readsBackAsNone() {
        Profile p = f.profile(ProfileId.of("old"));
        profiles.create(p);
        assertThat(profiles.find(p.id()).orElseThrow().locks().isNone()).isTrue();
    }

    @Test
    void find_unknown_isEmpty() {
        assertThat(profiles.find(ProfileId.of("nope"))).isEmpty();
    }

    @Test
    void create_existingName_isProfileExists_andLeavesTheFirst() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        assertThatThrownBy(() -> profiles.create(f.profile(ProfileId.of("work"))))
                .isInstanceOf(InvalidInputException.class).extracting("code").isEqualTo(ErrorCode.INPUT_PROFILE_EXISTS);
        assertThat(profiles.find(p.id()).orElseThrow()).usingRecursiveComparison().isEqualTo(p);
    }

    @Test
    void list_isOrderedByName_withEachProfilesSlots() {
        Profile b = f.profile(ProfileId.of("b"));
        Profile a = new Profile(ProfileId.of("a"), Fixtures.T0, 2, java.util.List.of(f.keyFileSlot(0)));
        profiles.create(b);
        profiles.create(a);

        assertThat(profiles.list()).usingRecursiveFieldByFieldElementComparator().containsExactly(a, b);
    }

    @Test
    void addSlot_thenFind_hasIt_inSlotOrder() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);
        KeySlot extra = f.passphraseSlot(p.nextSlotId());

        profiles.addSlot(p.id(), extra);

        Profile found = profiles.find(p.id()).orElseThrow();
        assertThat(found.slots()).extracting(KeySlot::slotId).containsExactly(0, 1, 2);
        assertThat(found.slot(2).orElseThrow()).usingRecursiveComparison().isEqualTo(extra);
    }

    @Test
    void addSlot_existingSlotId_isInvalidInput() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        assertThatThrownBy(() -> profiles.addSlot(p.id(), f.keyFileSlot(0)))
                .isInstanceOf(InvalidInputException.class).extracting("code").isEqualTo(ErrorCode.INPUT_INVALID);
    }

    @Test
    void addSlot_unknownProfile_isNotFoundProfile() {
        assertThatThrownBy(() -> profiles.addSlot(ProfileId.of("ghost"), f.keyFileSlot(0)))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_PROFILE);
    }

    @Test
    void removeSlot_removesOnlyThatSlot() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        profiles.removeSlot(p.id(), 0);

        assertThat(profiles.find(p.id()).orElseThrow().slots()).extracting(KeySlot::slotId).containsExactly(1);
    }

    @Test
    void removeSlot_missingSlotOrProfile_isNotFound() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        assertThatThrownBy(() -> profiles.removeSlot(p.id(), 9))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_SLOT);
        assertThatThrownBy(() -> profiles.removeSlot(ProfileId.of("ghost"), 0))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_PROFILE);
    }

    @Test
    void replaceSlot_replacesTheWrapping_keepsTheId() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);
        KeySlot replacement = f.keyFileSlot(0);

        profiles.replaceSlot(p.id(), replacement);

        Profile found = profiles.find(p.id()).orElseThrow();
        assertThat(found.slot(0).orElseThrow()).usingRecursiveComparison().isEqualTo(replacement);
        assertThat(found.slot(0).orElseThrow().kdf()).isEmpty();
        assertThat(found.slot(1).orElseThrow()).usingRecursiveComparison().isEqualTo(p.slot(1).orElseThrow());
    }

    @Test
    void replaceSlot_missing_isNotFoundSlot() {
        Profile p = f.profile(ProfileId.of("work"));
        profiles.create(p);

        assertThatThrownBy(() -> profiles.replaceSlot(p.id(), f.keyFileSlot(5)))
                .isInstanceOf(NotFoundException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND_SLOT);
    }
}
