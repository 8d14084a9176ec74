package org.memoryvault.domain.model;

import java.util.Objects;

/**
 * A profile key the holder owns: proved from a secret just now, not shared with any cache. The
 * holder closes it (try-with-resources), which zeroes the key, or hands it to the unlocked-key
 * cache, which then owns it.
 *
 * <p>Security: the type says who closes the key; compare {@link BorrowedKey}, which nobody but the
 * cache may close.
 */
public final class OwnedKey implements AutoCloseable {
    private final DataKey key;

    private OwnedKey(DataKey key) { this.key = key; }

    /** Takes ownership of a key that nothing else holds. */
    public static OwnedKey adopt(DataKey key) { return new OwnedKey(Objects.requireNonNull(key, "key")); }

    /** The handle, to pass to the sealer; stays owned by this object. */
    public DataKey key() { return key; }

    public ProfileId profile() { return key.profile(); }

    public boolean isOwner() { return key.isOwner(); }

    @Override public void close() { key.close(); }

    @Override public String toString() { return "OwnedKey[" + key.profile() + ", redacted]"; }
}
