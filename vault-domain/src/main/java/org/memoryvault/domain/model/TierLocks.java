package org.memoryvault.domain.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile's public key material for the key tiers (docs/FORMAT.md §3): the public keys that
 * memories of levels 3-5 are sealed to, so that anyone can store at those levels while only the
 * owner's key opens them; for a profile without an owner passphrase, the owner key sealed under
 * the key-file tier ({@code ownerEscrow}; dropped when the first passphrase slot is added); and,
 * once level 5 is bound to a device, the owner's MAC over the public keys ({@code level5Binding}):
 * level 5's public key then derives from the owner key and a device secret together.
 *
 * <p>Not secret. {@link #NONE} marks a profile from before key tiers (format 1).
 */
public final class TierLocks {
    public static final TierLocks NONE = new TierLocks(new byte[0], Optional.empty());

    private final byte[] publicKeys;
    private final Optional<byte[]> ownerEscrow;
    private final Optional<byte[]> level5Binding;

    public TierLocks(byte[] publicKeys, Optional<byte[]> ownerEscrow) {
        this(publicKeys, ownerEscrow, Optional.empty());
    }

    public TierLocks(byte[] publicKeys, Optional<byte[]> ownerEscrow, Optional<byte[]> level5Binding) {
        this.publicKeys = Objects.requireNonNull(publicKeys, "publicKeys").clone();
        this.ownerEscrow = Objects.requireNonNull(ownerEscrow, "ownerEscrow").map(byte[]::clone);
        this.level5Binding = Objects.requireNonNull(level5Binding, "level5Binding").map(byte[]::clone);
    }

    /** The public keys of levels 3, 4 and 5, concatenated (empty for {@link #NONE}). */
    public byte[] publicKeys() { return publicKeys.clone(); }

    public Optional<byte[]> ownerEscrow() { return ownerEscrow.map(byte[]::clone); }

    /** The owner's MAC over the public keys, present once level 5 is bound to a device. */
    public Optional<byte[]> level5Binding() { return level5Binding.map(byte[]::clone); }

    public boolean isNone() { return publicKeys.length == 0; }

    /** Whether level 5 is bound to a device: its key pair derives from the owner key and a device secret together. */
    public boolean level5Bound() { return level5Binding.isPresent(); }

    public TierLocks withoutEscrow() { return new TierLocks(publicKeys, Optional.empty(), level5Binding); }

    @Override public boolean equals(Object o) {
        return o instanceof TierLocks t && Arrays.equals(publicKeys, t.publicKeys) && same(ownerEscrow, t.ownerEscrow)
                && same(level5Binding, t.level5Binding);
    }

    private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    @Override public int hashCode() { return Arrays.hashCode(publicKeys); }

    @Override public String toString() {
        return "TierLocks[" + publicKeys.length + " bytes, escrow=" + ownerEscrow.isPresent() + ", level5Bound=" + level5Bound() + "]";
    }
}
