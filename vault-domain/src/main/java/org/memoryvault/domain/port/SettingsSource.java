package org.memoryvault.domain.port;

/** The vault's settings as the owner seal covers them (docs/FORMAT.md §12). */
public interface SettingsSource {
    /** SHA-256 (lower-case hex) of the canonical form of every setting's effective value. */
    String digest();

    /** Whether {@code lockdown.exit-secret = any}: then a key file lifts lockdown, and an owner's sealed lockdown is not held against the row. */
    boolean lockdownExitByAnySecret();
}
