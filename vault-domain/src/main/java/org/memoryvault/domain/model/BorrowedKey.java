package org.memoryvault.domain.model;

import java.util.Objects;

/**
 * A profile key borrowed from the unlocked-key cache (or a session resumed into it). Use it within
 * the operation at hand; never close it: the cache zeroes it when its TTL ends or the profile is
 * locked.
 *
 * <p>Security: there is no {@code close()} here on purpose; compare {@link OwnedKey}.
 */
public final class BorrowedKey {
    private final DataKey key;

    private BorrowedKey(DataKey key) { this.key = key; }

    /** A handle the cache owns. */
    public static BorrowedKey of(DataKey cached) { return new BorrowedKey(Objects.requireNonNull(cached, "cached")); }

    /** The handle, to pass to the sealer; the cache still owns it. */
    public DataKey key() { return key; }

    public ProfileId profile() { return key.profile(); }

    public boolean isOwner() { return key.isOwner(); }

    @Override public String toString() { return "BorrowedKey[" + key.profile() + ", redacted]"; }
}
