package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.SlotBackend;

/**
 * The conformance kit every {@link SlotBackend} passes (docs/HARDWARE.md, "Adding a slot backend").
 * Extend it in the backend's module (depend on vault-crypto's test-jar, test scope) and say how to
 * make the backend and its secrets; the kit runs the backend through the real key-slot cipher
 * ({@link SodiumKeySource}), so "refused" means what the vault would do:
 *
 * <ul>
 *   <li>wrap, then unwrap with the secret, gives back the same keys (and the owner key exactly when
 *       the type holds it); the KEK that {@code open} gives equals the one {@code enrol} gave;</li>
 *   <li>what the slot stores suffices: a new backend instance and a new cipher (a restart) open it;</li>
 *   <li>a wrong secret, and a wrong device where the backend has one, is
 *       {@code ACCESS_WRONG_SECRET} and yields no key;</li>
 *   <li>edited parameters never open the slot; a secret of another type is {@code INPUT_INVALID};</li>
 *   <li>a closed KEK leaves no key bytes in its array; the caller's secret is left as it was.</li>
 * </ul>
 */
public abstract class SlotBackendContract {
    /** Far below every preset, to keep the kit fast; a backend must store whatever cost it is given. */
    protected static final KdfParameters FAST_KDF = new KdfParameters(1, 8L << 20);
    private static final ProfileId PROFILE = ProfileId.of("conformance");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** A backend as a new process would make it (same device, same configuration). */
    protected abstract SlotBackend newBackend();

    /** A new secret that opens this backend's slots (the kit closes it). */
    protected abstract SlotSecret secret();

    /**
     * A new secret of the same type that must not open them (the kit closes it); empty for a
     * backend that takes nothing typed (then {@link #backendOnAnotherDevice} must be given).
     */
    protected abstract Optional<SlotSecret> wrongSecret();

    /**
     * A backend of the same type bound to another device (a different token, another TPM), if the
     * backend has devices: the right secret must not open a slot enrolled on the first device.
     */
    protected Optional<SlotBackend> backendOnAnotherDevice() { return Optional.empty(); }

    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    private KeySource cipher(SlotBackend backend) {
        return new SodiumKeySource(new Libsodium(Libsodium.sharedBinding()), List.of(backend));
    }

    private KeySlot enrolled(SlotBackend backend, DataKey dek, int slotId) {
        try (SlotSecret s = secret()) {
            return cipher(backend).wrap(backend.type(), new KeySource.WrapRequest(slotId, "kit", FAST_KDF, AT), dek, s);
        }
    }

    /** The slot as storage hands it back: a new object from the stored fields. */
    private static KeySlot stored(KeySlot s) {
        return new KeySlot(s.slotId(), SlotType.of(s.type().wireName()), s.label(), s.kdf(), s.salt(), s.nonce(),
                s.wrappedKey(), s.createdAt());
    }

    @Test
    void itsTypeIsAWellFormedStableName_andItSaysHowItTakesItsSecret() {
        SlotBackend a = newBackend();
        assertThat(SlotType.of(a.type().wireName())).isEqualTo(a.type());
        assertThat(newBackend().type()).isEqualTo(a.type());
        assertThat(a.input()).isNotNull();
        try (SlotSecret s = secret()) {
            assertThat(s.type()).as("the kit's secret is of the backend's type").isEqualTo(a.type());
        }
    }

    @Test
    void wrapThenUnwrap_givesBackTheSameKeys() {
        SlotBackend backend = newBackend();
        try (DataKey dek = sealer.newDataKey(PROFILE, 7)) {
            KeySlot slot = enrolled(backend, dek, 2);
            assertThat(slot.type()).isEqualTo(backend.type());
            try (SlotSecret s = secret(); DataKey back = cipher(backend).unwrap(slot, PROFILE, 7, s)) {
                assertThat(SodiumDataKey.copyOf(back)).isEqualTo(SodiumDataKey.copyOf(dek));
                assertThat(back.isOwner()).as("the owner key comes back exactly when the type holds it")
                        .isEqualTo(backend.type().holdsOwnerKey());
                if (back.isOwner()) assertThat(SodiumDataKey.ownerCopy(back)).isEqualTo(SodiumDataKey.ownerCopy(dek));
            }
        }
    }

    @Test
    void openGivesTheKekThatEnrolGave() {
        SlotBackend backend = newBackend();
        SlotBackend.Enrolment e;
        byte[] enrolled;
        try (SlotSecret s = secret()) {
            e = backend.enrol(s, FAST_KDF);
        }
        try (KeyEncryptionKey kek = e.kek()) {
            enrolled = kek.revealForCrypto().clone();
        }
        KeySlot slot = new KeySlot(0, backend.type(), "kit", e.kdf(), e.parameters(), new byte[24], new byte[48], AT);
        try (SlotSecret s = secret(); KeyEncryptionKey again = newBackend().open(stored(slot), s)) {
            assertThat(again.revealForCrypto()).isEqualTo(enrolled);
        } finally {
            java.util.Arrays.fill(enrolled, (byte) 0);
        }
    }

    @Test
    void whatTheSlotStores_sufficesAfterARestart() {
        try (DataKey dek = sealer.newDataKey(PROFILE, 1)) {
            KeySlot slot = stored(enrolled(newBackend(), dek, 0));
            try (SlotSecret s = secret(); DataKey back = cipher(newBackend()).unwrap(slot, PROFILE, 1, s)) {
                assertThat(SodiumDataKey.copyOf(back)).isEqualTo(SodiumDataKey.copyOf(dek));
            }
        }
    }

    @Test
    void theKitCanShowARefusal() {
        assertThat(wrongSecret().isPresent() || backendOnAnotherDevice().isPresent())
                .as("give a wrong secret or another device, so the kit can check that they are refused").isTrue();
    }

    @Test
    void aWrongSecret_isAccessWrongSecret_andYieldsNoKey() {
        SlotBackend backend = newBackend();
        if (wrongSecret().isEmpty()) return;                  // nothing typed: see anotherDevice_...
        try (DataKey dek = sealer.newDataKey(PROFILE, 1)) {
            KeySlot slot = enrolled(backend, dek, 0);
            try (SlotSecret wrong = wrongSecret().get()) {
                assertRefused(() -> cipher(backend).unwrap(slot, PROFILE, 1, wrong));
            }
        }
    }

    @Test
    void anotherDevice_isAccessWrongSecret_andYieldsNoKey() {
        Optional<SlotBackend> other = backendOnAnotherDevice();
        if (other.isEmpty()) return;                          // a backend without devices
        try (DataKey dek = sealer.newDataKey(PROFILE, 1)) {
            KeySlot slot = enrolled(newBackend(), dek, 0);
            try (SlotSecret s = secret()) {
                assertRefused(() -> cipher(other.get()).unwrap(slot, PROFILE, 1, s));
            }
        }
    }

    @Test
    void aSecretOfAnotherType_isInputInvalid() {
        SlotBackend backend = newBackend();
        SlotType other = backend.type().equals(SlotType.KEY_FILE) ? SlotType.PASSPHRASE : SlotType.KEY_FILE;
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret s = SlotSecret.of(other, new byte[32])) {
            KeySlot slot = enrolled(backend, dek, 0);
            assertThatThrownBy(() -> cipher(backend).unwrap(slot, PROFILE, 1, s))
                    .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
        }
    }

    @Test
    void aClosedKek_leavesNoKeyBytes_andTheCallersSecretIsUntouched() {
        SlotBackend backend = newBackend();
        byte[] before;
        SlotBackend.Enrolment e;
        try (SlotSecret s = secret()) {
            before = s.revealForCrypto().clone();
            e = backend.enrol(s, FAST_KDF);
            assertThat(s.revealForCrypto()).as("enrol leaves the caller's secret as it was").isEqualTo(before);
        }
        byte[] array = e.kek().revealForCrypto();
        assertThat(array).hasSize(KeyEncryptionKey.BYTES);
        e.kek().close();
        assertThat(array).containsOnly(0);
        KeySlot slot = new KeySlot(0, backend.type(), "kit", e.kdf(), e.parameters(), new byte[24], new byte[48], AT);
        try (SlotSecret s = secret()) {
            KeyEncryptionKey opened = backend.open(slot, s);
            byte[] openedArray = opened.revealForCrypto();
            opened.close();
            assertThat(openedArray).containsOnly(0);
            assertThat(s.revealForCrypto()).as("open leaves the caller's secret as it was").isEqualTo(before);
        }
    }

    @Property(tries = 12)
    void editedParameters_neverOpenTheSlot(@ForAll @IntRange(min = 0, max = 4095 * 8) int bit) {
        SlotBackend backend = newBackend();
        try (DataKey dek = sealer.newDataKey(PROFILE, 1)) {
            KeySlot slot = enrolled(backend, dek, 0);
            byte[] params = slot.salt();
            if (params.length == 0) return;                   // nothing stored to edit
            params[(bit / 8) % params.length] ^= (byte) (1 << (bit % 8));
            KeySlot edited = new KeySlot(0, slot.type(), slot.label(), slot.kdf(), params, slot.nonce(), slot.wrappedKey(),
                    slot.createdAt());
            try (SlotSecret s = secret()) {
                assertThatThrownBy(() -> cipher(backend).unwrap(edited, PROFILE, 1, s)).satisfies(t -> {
                    boolean refused = t instanceof AccessRefusedException a && a.code() == ErrorCode.ACCESS_WRONG_SECRET;
                    boolean tampered = t instanceof IntegrityException i && i.code() == ErrorCode.INTEGRITY_TAMPERED;
                    assertThat(refused || tampered).as("refused as a wrong secret or a malformed slot, was: " + t).isTrue();
                });
            }
        }
    }

    @Property(tries = 6)
    void aSlotMovedToAnotherSlotIdOrKeyVersion_doesNotOpen(@ForAll @IntRange(min = 1, max = 1000) int shift) {
        SlotBackend backend = newBackend();
        try (DataKey dek = sealer.newDataKey(PROFILE, 3)) {
            KeySlot slot = enrolled(backend, dek, 1);
            try (SlotSecret s = secret()) {
                assertRefused(() -> cipher(backend).unwrap(slot.withSlotId(1 + shift), PROFILE, 3, s));
                assertRefused(() -> cipher(backend).unwrap(slot, PROFILE, 3 + shift, s));
            }
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable unwrap) {
        assertThatThrownBy(unwrap).isInstanceOfSatisfying(AccessRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_WRONG_SECRET));
    }
}
