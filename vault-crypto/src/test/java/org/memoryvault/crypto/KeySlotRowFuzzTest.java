package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/**
 * Fuzz harness for key-slot rows as vault.db hands them back (docs/TESTING.md): a real key-file
 * slot, then any of its stored fields edited (type, slot id, salt, KDF parameters, nonce, wrapped
 * key), opened with the right key file. Contract: the edited slot opens to the same data key only
 * if nothing authenticated changed; otherwise it is refused with a stable code (a wrong secret, a
 * malformed slot, an uninstalled type, a secret of another type), never another exception.
 */
class KeySlotRowFuzzTest {
    private static final ProfileId PROFILE = ProfileId.of("fuzz");
    private static final Sealer SEALER = CryptoFixtures.sealer();
    private static final KeySource CIPHER = CryptoFixtures.keySource();
    private static final byte[] KEY_FILE = new byte[32];
    private static final KeySlot SLOT;
    private static final byte[] DATA_KEY;

    static {
        Arrays.fill(KEY_FILE, (byte) 7);
        try (DataKey dek = SEALER.newDataKey(PROFILE, 1); SlotSecret s = SlotSecret.keyFile(KEY_FILE.clone())) {
            SLOT = CIPHER.wrap(SlotType.KEY_FILE, new KeySource.WrapRequest(0, "/k", new KdfParameters(1, 8192), Instant.EPOCH), dek, s);
            DATA_KEY = SodiumDataKey.copyOf(dek);
        }
    }

    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.ACCESS_WRONG_SECRET, ErrorCode.INTEGRITY_TAMPERED,
            ErrorCode.INPUT_SLOT_BACKEND, ErrorCode.INPUT_INVALID);

    @FuzzTest(maxDuration = "30s")
    void keySlotRow(FuzzedDataProvider data) {
        int slotId = data.consumeBoolean() ? SLOT.slotId() : data.consumeInt(0, 1 << 30);
        SlotType type = data.consumeBoolean() ? SLOT.type() : SlotType.of(data.pickValue(new String[] {"passphrase", "keyfile", "recovery-code", "tpm"}));
        byte[] salt = data.consumeBoolean() ? SLOT.salt() : data.consumeBytes(data.consumeInt(0, 40));
        byte[] nonce = data.consumeBoolean() ? SLOT.nonce() : edit(SLOT.nonce(), data);
        byte[] wrapped = data.consumeBoolean() ? SLOT.wrappedKey() : edit(SLOT.wrappedKey(), data);
        int keyVersion = data.consumeBoolean() ? 1 : data.consumeInt(0, 5);
        KeySlot edited = new KeySlot(slotId, type, "/k", SLOT.kdf(), salt, nonce, wrapped, Instant.EPOCH);
        boolean same = slotId == SLOT.slotId() && type.equals(SLOT.type()) && Arrays.equals(nonce, SLOT.nonce())
                && Arrays.equals(wrapped, SLOT.wrappedKey()) && keyVersion == 1;
        try (SlotSecret s = SlotSecret.keyFile(KEY_FILE.clone()); DataKey opened = CIPHER.unwrap(edited, PROFILE, keyVersion, s)) {
            assertThat(same).as("an edited slot opened").isTrue();
            assertThat(SodiumDataKey.copyOf(opened)).isEqualTo(DATA_KEY);
        } catch (VaultException e) {
            assertThat(same).as("the untouched slot was refused: " + e.code()).isFalse();
            assertThat(REFUSALS).contains(e.code());
        }
    }

    /** The bytes as they are, or with one bit flipped, cut short, or lengthened. */
    private static byte[] edit(byte[] original, FuzzedDataProvider data) {
        byte[] b = original.clone();
        switch (data.consumeInt(0, 2)) {
            case 0 -> b[data.consumeInt(0, b.length - 1)] ^= (byte) (1 << data.consumeInt(0, 7));
            case 1 -> b = Arrays.copyOf(b, data.consumeInt(0, b.length - 1));
            default -> b = Arrays.copyOf(b, b.length + data.consumeInt(1, 40));
        }
        return b;
    }
}
