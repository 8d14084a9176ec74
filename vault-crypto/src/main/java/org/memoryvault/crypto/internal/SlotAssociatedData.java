package org.memoryvault.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;

/**
 * The associated data of a wrapped data key (docs/FORMAT.md §3): it binds a key slot to its
 * profile, key version, slot id and type, so a slot copied anywhere else does not open.
 *
 * <pre>
 * "MVKS"         4 bytes ASCII
 * version        u8 (1)
 * profile_id     u16be length, UTF-8 bytes
 * key_version    u32be
 * slot_id        u32be
 * slot_type      u8: 1 passphrase, 2 key file
 * </pre>
 */
public final class SlotAssociatedData {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'M', 'V', 'K', 'S'};

    private SlotAssociatedData() {}

    public static byte[] encode(ProfileId profile, int keyVersion, int slotId, SlotType type) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(MAGIC.length + 1 + 2 + p.length + 4 + 4 + 1)
                .put(MAGIC).put((byte) VERSION)
                .putShort((short) p.length).put(p)
                .putInt(keyVersion)
                .putInt(slotId)
                .put((byte) typeCode(type))
                .array();
    }

    /** The slot type's code in the associated data (contract: never renumber). */
    public static int typeCode(SlotType type) {
        switch (type) {
            case PASSPHRASE: return 1;
            case KEY_FILE: return 2;
            default: throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO,
                    "no associated-data code for slot type " + type.wireName(), null);
        }
    }
}
