package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;

/** Bad inputs to the key sources: refused with a code, before any key material is produced. */
class KeySourceInputsTest {
    private static final ProfileId PROFILE = ProfileId.of("p");
    private static final KdfParameters FAST = new KdfParameters(1, 8L << 20);
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());
    private final KeySource keys = CryptoFixtures.keySource();

    @Test
    void keyFileSecretsOfAnyLengthBut32_areRefusedAsInputKeyFile() {
        try (DataKey dek = sealer.newDataKey(PROFILE, 1)) {
            for (int n : new int[] {0, 31, 33}) {
                try (SlotSecret s = SlotSecret.keyFile(new byte[n])) {
                    assertThatThrownBy(() -> keys.wrap(SlotType.KEY_FILE, request(), dek, s))
                            .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.INPUT_KEY_FILE);
                                assertThat(e.getMessage()).isEqualTo("key file must be exactly 32 bytes");
                            });
                }
            }
        }
    }

    @Test
    void aSlot_needsASecretOfItsType() {
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret pass = SlotSecret.passphrase("pw".toCharArray());
             SlotSecret file = SlotSecret.keyFile(new byte[32])) {
            assertThatThrownBy(() -> keys.wrap(SlotType.PASSPHRASE, request(), dek, file))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
            assertThatThrownBy(() -> keys.wrap(SlotType.KEY_FILE, request(), dek, pass))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
        }
    }

    @Test
    void aSlotTypeWithNoBackend_isInputSlotBackend_namingTheType() {
        SlotType tpm = SlotType.of("tpm2");
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret device = SlotSecret.of(tpm, new byte[0])) {
            assertThatThrownBy(() -> keys.wrap(tpm, request(), dek, device))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SLOT_BACKEND);
                        assertThat(e.getMessage()).contains("'tpm2'").contains("[keyfile, passphrase]");
                    });
            KeySlot stored = new KeySlot(3, tpm, "tpm", Optional.empty(), new byte[0], new byte[24], new byte[48], AT);
            assertThatThrownBy(() -> keys.unwrap(stored, PROFILE, 1, device))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SLOT_BACKEND));
        }
    }

    @Test
    void wrap_leavesTheCallersSecretIntact() {
        byte[] file = new Libsodium(Libsodium.sharedBinding()).randomBytes(32);
        byte[] copy = file.clone();
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret s = SlotSecret.keyFile(file)) {
            keys.wrap(SlotType.KEY_FILE, request(), dek, s);
            assertThat(s.revealForCrypto()).isEqualTo(copy);
        }
    }

    @Test
    void aStructurallyImpossibleSlot_isIntegrityTampered() {
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret pass = SlotSecret.passphrase("pw".toCharArray())) {
            KeySlot good = keys.wrap(SlotType.PASSPHRASE, request(), dek, pass);
            KeySlot shortWrapped = new KeySlot(0, SlotType.PASSPHRASE, "x", good.kdf(), good.salt(), good.nonce(),
                    Arrays.copyOf(good.wrappedKey(), 47), AT);
            KeySlot shortNonce = new KeySlot(0, SlotType.PASSPHRASE, "x", good.kdf(), good.salt(),
                    Arrays.copyOf(good.nonce(), 12), good.wrappedKey(), AT);
            KeySlot noKdf = new KeySlot(0, SlotType.PASSPHRASE, "x", Optional.empty(), good.salt(), good.nonce(),
                    good.wrappedKey(), AT);
            KeySlot noSalt = new KeySlot(0, SlotType.PASSPHRASE, "x", good.kdf(), new byte[0], good.nonce(),
                    good.wrappedKey(), AT);
            for (KeySlot bad : new KeySlot[] {shortWrapped, shortNonce, noKdf, noSalt}) {
                assertThatThrownBy(() -> keys.unwrap(bad, PROFILE, 1, pass))
                        .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED));
            }
            try (DataKey back = keys.unwrap(good, PROFILE, 1, pass)) {
                assertThat(SodiumDataKey.copyOf(back)).isEqualTo(SodiumDataKey.copyOf(dek));
            }
        }
    }

    @Test
    void aSlotOfTheOtherType_isRefused() {
        try (DataKey dek = sealer.newDataKey(PROFILE, 1); SlotSecret file = SlotSecret.keyFile(new byte[32])) {
            KeySlot fileSlot = keys.wrap(SlotType.KEY_FILE, request(), dek, file);
            try (SlotSecret pass = SlotSecret.passphrase("pw".toCharArray())) {
                assertThatThrownBy(() -> keys.unwrap(fileSlot, PROFILE, 1, pass))
                        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_INVALID));
            }
        }
    }

    private static KeySource.WrapRequest request() {
        return new KeySource.WrapRequest(0, "slot", FAST, AT);
    }
}
