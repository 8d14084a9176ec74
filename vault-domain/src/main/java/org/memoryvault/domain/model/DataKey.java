package org.memoryvault.domain.model;

/**
 * A handle to an unwrapped profile data key. The domain passes handles around and never sees key
 * bytes; only the crypto adapter that made a handle can use it.
 *
 * <p>Security: {@link #close()} zeroes the key; a closed handle fails on use. Handles are shared
 * through the unlocked-key cache, which owns and closes them.
 */
public interface DataKey extends AutoCloseable {
    ProfileId profile();

    int keyVersion();

    boolean isDestroyed();

    @Override void close();
}
