package org.memoryvault.domain.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The fields bound to a memory's ciphertext as XChaCha20-Poly1305 associated data. Editing any of
 * them in the database makes authenticated decryption fail. The byte encoding is a contract
 * (docs/FORMAT.md §2):
 *
 * <pre>
 * "MVAD"                       4 bytes, ASCII
 * format_version               u8 (2; 1 for memories sealed before key tiers)
 * memory_id                    16 bytes, the UUID's 128 bits big-endian
 * classification               u8 (0..5)
 * profile_id                   u16be length, UTF-8 bytes
 * key_version                  u32be
 * created_at                   i64be, milliseconds since the Unix epoch
 * created_by                   u16be length, UTF-8 bytes
 * </pre>
 */
public record AssociatedData(int formatVersion, MemoryId id, Classification classification, ProfileId profile,
                             int keyVersion, Instant createdAt, String createdBy) {
    public static final int FORMAT_VERSION = 2;
    private static final byte[] MAGIC = {'M', 'V', 'A', 'D'};

    public AssociatedData {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    public static AssociatedData of(Memory m) {
        int format = m.sealed().map(SealedContent::format).orElse(FORMAT_VERSION);
        return new AssociatedData(format, m.id(), m.classification(), m.profile(), m.keyVersion(),
                m.createdAt(), m.createdBy());
    }

    /** The canonical bytes (a fresh array each call). */
    public byte[] encode() {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        byte[] c = createdBy.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 16 + 1 + 2 + p.length + 4 + 8 + 2 + c.length);
        b.put(MAGIC).put((byte) formatVersion)
                .putLong(id.value().getMostSignificantBits()).putLong(id.value().getLeastSignificantBits())
                .put((byte) classification.level())
                .putShort((short) p.length).put(p)
                .putInt(keyVersion)
                .putLong(createdAt.toEpochMilli())
                .putShort((short) c.length).put(c);
        return b.array();
    }
}
