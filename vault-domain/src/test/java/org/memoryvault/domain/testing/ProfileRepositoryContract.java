package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memoryvault.domain.testing.DomainAssertions.assertSameProfile;
import static org.memoryvault.domain.testing.DomainAssertions.assertSameSlot;
import static org.memoryvault.domain.testing.ProfileTestData.aKeyFileSlot;
import static org.memoryvault.domain.testing.ProfileTestData.aPassphraseSlot;
import static org.memoryvault.domain.testing.ProfileTestData.aProfile;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.TierLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.ProfileRepository;

/**
 * The contract of {@link ProfileRepository}. Subclass it with a factory for a fresh, empty store.
 * Slots are compared by slot id; the order of {@code list()} and of a profile's slots is left to
 * the adapter.
 */
public abstract class ProfileRepositoryContract {
    protected StorageFixture fixture;
    protected ProfileRepository repo;

    protected abstract StorageFixture newFixture();

    @BeforeEach
    void setUpStore() {
        fixture = newFixture();
        repo = fixture.profiles();
    }

    @AfterEach
    void closeStore() throws Exception { fixture.close(); }

    @Test
    void create_thenFind_returnsEveryFieldOfEverySlot() {
        Profile p = aProfile().withId("work.main_2").withCreatedAt(Instant.parse("2024-12-31T23:59:59.999Z")).withKeyVersion(4)
                .withSlots(aPassphraseSlot(0, 1), aKeyFileSlot(3, 1)).build();

        repo.create(p);

        Profile found = repo.find(p.id()).orElseThrow();
        assertSameProfile(found, p);
        assertThat(found.slot(3).orElseThrow().kdf()).isEmpty();
        assertThat(found.slot(0).orElseThrow().kdf()).isPresent();
    }

    @Test
    void aRekey_isPendingFromItsStartToItsFinish_oneAtATime_andItsFinishSetsTheKeyVersion() {
        Profile p = aProfile().withId("rekeyed").withKeyVersion(1).withSlots(aPassphraseSlot(0, 1)).build();
        repo.create(p);
        repo.create(aProfile().withId("other").build());
        assertThat(repo.pendingRekey(p.id())).isEmpty();

        var pending = new ProfileRepository.PendingRekey(2, new byte[] {1, 2, 3}, Instant.parse("2026-12-01T10:00:00.123Z"));
        repo.startRekey(p.id(), pending);

        var found = repo.pendingRekey(p.id()).orElseThrow();
        assertThat(found.keyVersion()).isEqualTo(2);
        assertThat(found.sealedKey()).containsExactly(1, 2, 3);
        assertThat(found.startedAt()).isEqualTo(pending.startedAt());
        assertThat(repo.pendingRekey(ProfileId.of("other"))).isEmpty();
        assertThatThrownBy(() -> repo.startRekey(p.id(), pending)).isInstanceOfSatisfying(org.memoryvault.domain.error.VaultException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_STATE));

        repo.finishRekey(p.id(), 2);
        assertThat(repo.pendingRekey(p.id())).isEmpty();
        assertThat(repo.find(p.id()).orElseThrow().keyVersion()).isEqualTo(2);
        assertThat(repo.find(p.id()).orElseThrow().slots()).hasSize(1);
    }

    @Test
    void find_unknownProfile_isEmpty() {
        repo.create(aProfile().withId("known").build());

        assertThat(repo.find(ProfileId.of("unknown"))).isEmpty();
    }

    @Test
    void list_returnsEveryProfile() {
        assertThat(repo.list()).isEmpty();
        repo.create(aProfile().withId("b").build());
        repo.create(aProfile().withId("a").build());

        assertThat(repo.list()).extracting(Profile::id).containsExactlyInAnyOrder(ProfileId.of("a"), ProfileId.of("b"));
    }

    @Test
    void addSlot_addsIt_andLeavesTheOtherSlotsAlone() {
        KeySlot first = aPassphraseSlot(0, 0);
        repo.create(aProfile().withId("p").withSlots(first).build());
        KeySlot added = aKeyFileSlot(1, 0);

        repo.addSlot(ProfileId.of("p"), added);

        Profile found = repo.find(ProfileId.of("p")).orElseThrow();
        assertThat(found.slots()).hasSize(2);
        assertSameSlot(found.slot(0).orElseThrow(), first);
        assertSameSlot(found.slot(1).orElseThrow(), added);
        assertThat(found.nextSlotId()).isEqualTo(2);
    }

    @Test
    void removeSlot_removesOnlyThatSlot() {
        repo.create(aProfile().withId("p").withSlots(aPassphraseSlot(0, 0), aKeyFileSlot(1, 0), aPassphraseSlot(2, 0)).build());

        repo.removeSlot(ProfileId.of("p"), 1);

        Profile found = repo.find(ProfileId.of("p")).orElseThrow();
        assertThat(found.slots()).extracting(KeySlot::slotId).containsExactlyInAnyOrder(0, 2);
        assertSameSlot(found.slot(2).orElseThrow(), aPassphraseSlot(2, 0));
    }

    @Test
    void replaceSlot_keepsTheSlotIdWithTheNewWrapping() {
        repo.create(aProfile().withId("p").withSlots(aPassphraseSlot(0, 0), aKeyFileSlot(1, 0)).build());
        KeySlot rewrapped = aPassphraseSlot(0, 7);

        repo.replaceSlot(ProfileId.of("p"), rewrapped);

        Profile found = repo.find(ProfileId.of("p")).orElseThrow();
        assertThat(found.slots()).hasSize(2);
        assertSameSlot(found.slot(0).orElseThrow(), rewrapped);
        assertThat(found.slot(0).orElseThrow().wrappedKey()).isNotEqualTo(aPassphraseSlot(0, 0).wrappedKey());
        assertSameSlot(found.slot(1).orElseThrow(), aKeyFileSlot(1, 0));
    }

    @Test
    void slotChanges_touchOnlyTheirProfile() {
        repo.create(aProfile().withId("p").withSlots(aPassphraseSlot(0, 0), aKeyFileSlot(1, 0)).build());
        Profile q = aProfile().withId("q").withSlots(aPassphraseSlot(0, 0), aKeyFileSlot(1, 0)).build();
        repo.create(q);

        repo.removeSlot(ProfileId.of("p"), 1);
        repo.replaceSlot(ProfileId.of("p"), aPassphraseSlot(0, 9));
        repo.addSlot(ProfileId.of("p"), aKeyFileSlot(2, 0));

        assertSameProfile(repo.find(ProfileId.of("q")).orElseThrow(), q);
    }

    @Test
    void level5BindingAndDeviceSlots_roundTrip_apartFromKeySlots_andPerProfile() {
        ProfileId p = ProfileId.of("p");
        ProfileId q = ProfileId.of("q");
        repo.create(aProfile().withId("p").withSlots(aPassphraseSlot(0, 0)).build());
        repo.create(aProfile().withId("q").withSlots(aPassphraseSlot(0, 0)).build());
        assertThat(repo.deviceSlots(p)).isEmpty();

        byte[] publicKeys = new byte[96];
        java.util.Arrays.fill(publicKeys, (byte) 7);
        byte[] mac = new byte[32];
        java.util.Arrays.fill(mac, (byte) 9);
        TierLocks bound = new TierLocks(publicKeys, Optional.empty(), Optional.of(mac));
        repo.updateLocks(p, bound);
        repo.addDeviceSlot(p, aKeyFileSlot(0, 1));
        repo.addDeviceSlot(p, aPassphraseSlot(1, 2));

        Profile found = repo.find(p).orElseThrow();
        assertThat(found.locks()).isEqualTo(bound);
        assertThat(found.locks().level5Bound()).isTrue();
        assertThat(found.slots()).extracting(KeySlot::slotId).containsExactly(0);        // device slots are not key slots
        assertThat(repo.deviceSlots(p)).extracting(KeySlot::slotId).containsExactly(0, 1);
        assertSameSlot(repo.deviceSlots(p).get(1), aPassphraseSlot(1, 2));
        assertThat(repo.deviceSlots(q)).isEmpty();
        assertThat(repo.find(q).orElseThrow().locks().level5Bound()).isFalse();

        assertThatThrownBy(() -> repo.addDeviceSlot(p, aKeyFileSlot(1, 3))).isInstanceOf(VaultException.class);
        repo.removeDeviceSlot(p, 0);
        assertThat(repo.deviceSlots(p)).extracting(KeySlot::slotId).containsExactly(1);
        assertThatThrownBy(() -> repo.removeDeviceSlot(p, 0))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_SLOT));
        assertThatThrownBy(() -> repo.deviceSlots(ProfileId.of("nobody")))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_PROFILE));

        repo.updateLocks(p, new TierLocks(publicKeys, Optional.empty()));
        assertThat(repo.find(p).orElseThrow().locks().level5Bound()).isFalse();
    }
}
