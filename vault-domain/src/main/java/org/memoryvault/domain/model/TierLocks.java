package org.memoryvault.domain.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile's public key material for the key tiers (docs/FORMAT.md §3): the public keys that
 * memories of levels 3-5 are sealed to, so that anyone can store at those levels while only the
 * owner's key opens them; and, for a profile without an owner passphrase, the owner key sealed
 * under the key-file tier ({@code ownerEscrow}; dropped when the first passphrase slot is added).
 *
 * <p>Not secret. {@link #NONE} marks a profile from before key tiers (format 1).
 */
public final class TierLocks {
    public static final TierLocks NONE = new TierLocks(new byte[0], Optional.empty());

    private final byte[] publicKeys;
    private final Optional<byte[]> ownerEscrow;

    public TierLocks(byte[] publicKeys, Optional<byte[]> ownerEscrow) {
        this.publicKeys = Objects.requireNonNull(publicKeys, "publicKeys").clone();
        this.ownerEscrow = Objects.requireNonNull(ownerEscrow, "ownerEscrow").map(byte[]::clone);
    }

    /** The public keys of levels 3, 4 and 5, concatenated (empty for {@link #NONE}). */
    public byte[] publicKeys() { return publicKeys.clone(); }

    public Optional<byte[]> ownerEscrow() { return ownerEscrow.map(byte[]::clone); }

    public boolean isNone() { return publicKeys.length == 0; }

    public TierLocks withoutEscrow() { return new TierLocks(publicKeys, Optional.empty()); }

    @Override public boolean equals(Object o) {
        return o instanceof TierLocks t && Arrays.equals(publicKeys, t.publicKeys)
                && ownerEscrow.isPresent() == t.ownerEscrow.isPresent()
                && (ownerEscrow.isEmpty() || Arrays.equals(ownerEscrow.get(), t.ownerEscrow.get()));
    }

    @Override public int hashCode() { return Arrays.hashCode(publicKeys); }

    @Override public String toString() { return "TierLocks[" + publicKeys.length + " bytes, escrow=" + ownerEscrow.isPresent() + "]"; }
}
