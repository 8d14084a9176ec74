package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memoryvault.domain.testing.FixedSecretProvider.keyFileSecret;
import static org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.testing.DomainAssertions;
import org.memoryvault.domain.testing.InMemoryVault;

/** CreateProfile, AddKeySlot, RemoveKeySlot and RewrapProfile: the data key survives every slot change. */
class ProfileKeySlotsTest {
    private static final byte[] KEY_FILE = new byte[32];

    static {
        for (int i = 0; i < KEY_FILE.length; i++) KEY_FILE[i] = (byte) (i * 11 + 5);
    }

    private InMemoryVault vault;

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
    }

    private void lock() { vault.lockProfile().execute(new LockProfile.Request(Optional.of(InMemoryVault.PROFILE))); }

    private void addKeyFileSlot() {
        try (SlotSecret s = keyFileSecret(KEY_FILE)) {
            vault.addKeySlot().execute(new AddKeySlot.Request(InMemoryVault.PROFILE, new NewSlot("usb", s)));
        }
    }

    @Test
    void createProfile_wrapsTheKeyPerSlot_leavesItUnlocked_andAuditsIt() {
        Profile p;
        try (SlotSecret a = passphraseSecret(InMemoryVault.PASSPHRASE); SlotSecret b = keyFileSecret(KEY_FILE)) {
            p = vault.createProfile().execute(new CreateProfile.Request(InMemoryVault.PROFILE,
                    List.of(new NewSlot("main", a), new NewSlot("usb", b))));
        }

        assertThat(p.slots()).extracting(KeySlot::slotId).containsExactly(0, 1);
        assertThat(p.slots()).extracting(KeySlot::type).containsExactly(SlotType.PASSPHRASE, SlotType.KEY_FILE);
        assertThat(p.slot(0).orElseThrow().kdf()).contains(vault.settings().kdfPreset().parameters());
        DomainAssertions.assertSameProfile(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow(), p);
        assertThat(vault.cache().find(InMemoryVault.PROFILE).isPresent()).isTrue();
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.PROFILE_CREATE);
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("slots", "passphrase,keyfile");
    }

    @Test
    void createProfile_twice_isInputProfileExists_andChangesNothing() {
        Profile first = vault.createDefaultProfile();

        assertThatThrownBy(() -> vault.createDefaultProfile())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PROFILE_EXISTS));

        DomainAssertions.assertSameProfile(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow(), first);
        assertThat(vault.audit().eventsOfType(AuditEvent.PROFILE_CREATE)).hasSize(1);
    }

    @Test
    void anyOfTheSlots_unlocksTheSameDataKey() {
        vault.createDefaultProfile();
        addKeyFileSlot();
        MemoryId id = vault.store("shared", Classification.WORKING);

        lock();
        vault.secrets().forget(SlotType.PASSPHRASE).useKeyFile(KEY_FILE);
        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("shared");

        lock();
        vault.secrets().forget(SlotType.KEY_FILE).usePassphrase(InMemoryVault.PASSPHRASE);
        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("shared");
    }

    @Test
    void removeKeySlot_lastSlot_isInputLastSlot_andLeavesTheProfileUnchanged() {
        Profile before = vault.createDefaultProfile();
        int events = vault.audit().size();

        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 0)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_LAST_SLOT));

        DomainAssertions.assertSameProfile(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow(), before);
        assertThat(vault.audit().size()).isEqualTo(events);
    }

    @Test
    void removeKeySlot_removesIt_andItsSecretNoLongerUnlocks() {
        vault.createDefaultProfile();
        addKeyFileSlot();
        MemoryId id = vault.store("x", Classification.WORKING);

        vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 1));

        assertThat(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots()).extracting(KeySlot::slotId).containsExactly(0);
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.SLOT_REMOVE);
        lock();
        vault.secrets().forget(SlotType.PASSPHRASE).useKeyFile(KEY_FILE);
        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));
    }

    @Test
    void removeKeySlot_needsASecretNow_notACachedUnlock() {
        vault.createDefaultProfile();
        addKeyFileSlot();
        assertThat(vault.cache().find(InMemoryVault.PROFILE).isPresent()).isTrue();
        vault.secrets().usePassphrase("not the passphrase").forget(SlotType.KEY_FILE);

        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 1)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
        assertThat(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots()).hasSize(2);
    }

    @Test
    void removeKeySlot_theLastPassphraseSlot_isRefused_itHoldsTheOwnerKey() {
        vault.createDefaultProfile();
        addKeyFileSlot();

        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 0)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_LAST_SLOT));
        assertThat(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots()).hasSize(2);
    }

    @Test
    void removeKeySlot_unknownSlot_isNotFoundSlot() {
        vault.createDefaultProfile();
        addKeyFileSlot();

        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 7)))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND_SLOT));
    }

    @Test
    void rewrap_keepsTheDataKey_soMemoriesStillOpen_andTheOldSecretStopsWorking() {
        vault.createDefaultProfile();
        MemoryId id = vault.store("survives rotation", Classification.PRIVATE);
        KeySlot old = vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slot(0).orElseThrow();

        KeySlot rewrapped;
        try (SlotSecret s = passphraseSecret("a brand new passphrase")) {
            rewrapped = vault.rewrapProfile().execute(new RewrapProfile.Request(InMemoryVault.PROFILE, 0, new NewSlot("rotated", s)));
        }

        assertThat(rewrapped.slotId()).isZero();
        assertThat(rewrapped.wrappedKey()).isNotEqualTo(old.wrappedKey());
        assertThat(vault.memories().find(id).orElseThrow().keyVersion()).isEqualTo(1);
        assertThat(vault.audit().last().orElseThrow().type()).isEqualTo(AuditEvent.REWRAP);

        lock();
        vault.secrets().usePassphrase("a brand new passphrase");
        assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("survives rotation");

        lock();
        vault.secrets().usePassphrase(InMemoryVault.PASSPHRASE);
        assertThatThrownBy(() -> vault.recall(id, InMemoryVault.OWNER))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
    }

    @Test
    void rewrap_withAnotherKindOfSecret_isInputInvalid_andKeepsTheSlot() {
        vault.createDefaultProfile();
        KeySlot old = vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slot(0).orElseThrow();

        try (SlotSecret s = keyFileSecret(KEY_FILE)) {
            assertThatThrownBy(() -> vault.rewrapProfile().execute(new RewrapProfile.Request(InMemoryVault.PROFILE, 0, new NewSlot("x", s))))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
        }
        DomainAssertions.assertSameSlot(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slot(0).orElseThrow(), old);
    }

    @Test
    void unlock_withAWrongSecret_isAccessWrongSecret_andCachesNothing() {
        vault.createDefaultProfile();
        lock();
        vault.secrets().usePassphrase("guess");

        assertThatThrownBy(() -> vault.unlockProfile().execute(new UnlockProfile.Request(InMemoryVault.PROFILE, false)))
                .isInstanceOfSatisfying(AccessRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET);
                    assertThat(e.getMessage()).doesNotContain("guess");
                });
        assertThat(vault.cache().find(InMemoryVault.PROFILE).isPresent()).isFalse();
    }

    @Test
    void aKeyFileHolder_cannotChangeSlots_onceThereIsAPassphraseSlot() {
        vault.createDefaultProfile();
        addKeyFileSlot();
        vault.secrets().forget(SlotType.PASSPHRASE).useKeyFile(KEY_FILE);
        int before = vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots().size();

        try (var mine = org.memoryvault.domain.testing.FixedSecretProvider.passphraseSecret("the agent's own passphrase")) {
            assertThatThrownBy(() -> vault.addKeySlot().execute(new AddKeySlot.Request(InMemoryVault.PROFILE, new NewSlot("mine", mine))))
                    .as("only the passphrase proves the owner now; the key file is not even tried")
                    .isInstanceOfSatisfying(org.memoryvault.domain.error.InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));
        }
        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 0)))
                .as("the last passphrase slot holds the owner key")
                .isInstanceOfSatisfying(org.memoryvault.domain.error.InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_LAST_SLOT));
        assertThatThrownBy(() -> vault.removeKeySlot().execute(new RemoveKeySlot.Request(InMemoryVault.PROFILE, 1)))
                .as("removing any other slot still needs the owner's passphrase")
                .isInstanceOfSatisfying(org.memoryvault.domain.error.InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SECRET_MISSING));
        assertThat(vault.profiles().find(InMemoryVault.PROFILE).orElseThrow().slots()).hasSize(before);
    }
}
