package org.memoryvault.domain.model;

/**
 * A handle to unwrapped key material of a profile (docs/FORMAT.md §3, "key tiers"). The domain
 * passes handles around and never sees key bytes; only the crypto adapter that made a handle can
 * use it. What a handle opens depends on where it came from: a key file or an unlock session opens
 * levels 0-2, an agent credential the levels up to its clearance (at most 2), and the owner's
 * passphrase every level ({@link #isOwner()}).
 *
 * <p>Security: {@link #close()} zeroes the key; a closed handle fails on use. Handles are shared
 * through the unlocked-key cache, which owns and closes them.
 */
public interface DataKey extends AutoCloseable {
    ProfileId profile();

    int keyVersion();

    /** The highest classification whose memories this key opens by itself: 0-2, or 5 for the owner's key. */
    int reach();

    /** Whether this is the owner's key (it opens levels 3-5 and can release them). */
    default boolean isOwner() { return reach() == Classification.BLACK.level(); }

    /**
     * Whether this owner key also carries the device secret of level 5 (docs/FORMAT.md §3, "Level 5
     * bound to a device"): only such a key opens the level-5 memories of a profile bound to a device.
     */
    default boolean hasDeviceSecret() { return false; }

    boolean isDestroyed();

    @Override void close();
}
