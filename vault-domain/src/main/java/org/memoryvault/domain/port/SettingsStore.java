package org.memoryvault.domain.port;

/**
 * Where the owner's settings live (config.toml for the CLI), as the settings-change use case
 * writes them. Which keys exist and what values they take is the adapter's table (docs/CONFIG.md):
 * most keys configure adapters (sockets, timeouts), so their validation stays with them.
 */
public interface SettingsStore extends SettingsSource {
    /** {@code INPUT_CONFIG} naming the key if {@code key} is unknown or retired or {@code value} is not a valid value for it. */
    void check(String key, String value);

    /** Reads the stored settings again (another owner process may have changed them since this one started). */
    void reload();

    /** Stores the value (checked again); durable when it returns. */
    void set(String key, String value);

    /** {@code INPUT_CONFIG} if {@code key} cannot be removed (it is fixed, or removing it leaves the settings inconsistent). */
    void checkUnset(String key);

    /** Removes the key, so its default applies (an unknown or invalid key is just removed); durable when it returns. */
    void unset(String key);

    /** Puts the stored settings back as they were before this process's last {@link #set} or {@link #unset} (a failed ceremony). */
    void revert();
}
