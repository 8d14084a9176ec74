package org.memoryvault.crypto;

import org.memoryvault.domain.port.UnlockedKeys;

/**
 * An {@link UnlockedKeys} cache the application closes at exit: {@link #close()} is
 * {@link #forgetAll()}, so every cached data key is zeroed before the process ends.
 */
public interface ClosableUnlockedKeys extends UnlockedKeys, AutoCloseable {
    /** Zeroes and drops every cached key; never throws. */
    @Override void close();
}
