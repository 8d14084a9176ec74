package org.memoryvault.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;

/**
 * The associated data of a wrapped data key (docs/FORMAT.md §3): it binds a key slot to its
 * profile, key version, slot id and type, so a slot copied anywhere else, or relabelled as another
 * type, does not open. Passphrase and key-file slots keep version 1 (a one-byte type code, as they
 * were first written); every other slot type is version 2 and names its type.
 *
 * <pre>
 * "MVKS"         4 bytes ASCII
 * version        u8: 1 (passphrase, key file) or 2 (any other type)
 * profile_id     u16be length, UTF-8 bytes
 * key_version    u32be
 * slot_id        u32be
 * slot_type      version 1: u8, 1 passphrase, 2 key file; version 2: u16be length, ASCII type name
 * </pre>
 */
public final class SlotAssociatedData {
    private static final byte[] MAGIC = {'M', 'V', 'K', 'S'};

    private SlotAssociatedData() {}

    public static byte[] encode(ProfileId profile, int keyVersion, int slotId, SlotType type) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        int code = typeCode(type);
        byte[] name = type.wireName().getBytes(StandardCharsets.US_ASCII);
        int typeBytes = code > 0 ? 1 : 2 + name.length;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + 2 + p.length + 4 + 4 + typeBytes)
                .put(MAGIC).put((byte) (code > 0 ? 1 : 2))
                .putShort((short) p.length).put(p)
                .putInt(keyVersion)
                .putInt(slotId);
        if (code > 0) b.put((byte) code);
        else b.putShort((short) name.length).put(name);
        return b.array();
    }

    /**
     * The associated data of a level-5 device slot (docs/FORMAT.md §3): {@code "MVDS" || 0x01 ||
     * string profile || u32be key_version || u32be slot_id || string type}.
     */
    public static byte[] encodeDevice(ProfileId profile, int keyVersion, int slotId, SlotType type) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        byte[] name = type.wireName().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + 1 + 2 + p.length + 4 + 4 + 2 + name.length).put(new byte[] {'M', 'V', 'D', 'S', 1})
                .putShort((short) p.length).put(p).putInt(keyVersion).putInt(slotId).putShort((short) name.length).put(name).array();
    }

    /** The version-1 code of a slot type (contract: never renumber), or 0 for a type written as version 2. */
    public static int typeCode(SlotType type) {
        if (type.equals(SlotType.PASSPHRASE)) return 1;
        if (type.equals(SlotType.KEY_FILE)) return 2;
        return 0;
    }
}
