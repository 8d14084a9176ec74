package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One wrapping of a profile's data key (like a LUKS key slot): the DEK sealed under a key-encryption
 * key that the slot's {@link SlotType} derives from its secret. Not secret itself: the wrapped key
 * is authenticated ciphertext (docs/FORMAT.md §3).
 *
 * @param label a non-secret hint for the user, e.g. the key file's path or "recovery passphrase"
 * @param kdf   Argon2id parameters, present for passphrase slots
 */
public final class KeySlot {
    private final int slotId;
    private final SlotType type;
    private final String label;
    private final Optional<KdfParameters> kdf;
    private final byte[] salt;
    private final byte[] nonce;
    private final byte[] wrappedKey;
    private final Instant createdAt;

    public KeySlot(int slotId, SlotType type, String label, Optional<KdfParameters> kdf, byte[] salt, byte[] nonce,
                   byte[] wrappedKey, Instant createdAt) {
        if (slotId < 0) throw new IllegalArgumentException("slotId");
        this.slotId = slotId;
        this.type = Objects.requireNonNull(type, "type");
        this.label = Objects.requireNonNull(label, "label");
        this.kdf = Objects.requireNonNull(kdf, "kdf");
        this.salt = Objects.requireNonNull(salt, "salt").clone();
        this.nonce = Objects.requireNonNull(nonce, "nonce").clone();
        this.wrappedKey = Objects.requireNonNull(wrappedKey, "wrappedKey").clone();
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    public int slotId() { return slotId; }
    public SlotType type() { return type; }
    public String label() { return label; }
    public Optional<KdfParameters> kdf() { return kdf; }
    public byte[] salt() { return salt.clone(); }
    public byte[] nonce() { return nonce.clone(); }
    public byte[] wrappedKey() { return wrappedKey.clone(); }
    public Instant createdAt() { return createdAt; }

    /** The same wrapping under another slot id (used when a slot is created before its id is known). */
    public KeySlot withSlotId(int id) { return new KeySlot(id, type, label, kdf, salt, nonce, wrappedKey, createdAt); }

    @Override public String toString() { return "KeySlot[" + slotId + ", " + type.wireName() + ", " + label + "]"; }
}
