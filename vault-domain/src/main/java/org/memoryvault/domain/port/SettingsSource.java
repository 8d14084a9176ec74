package org.memoryvault.domain.port;

/** The vault's settings as the owner seal covers them (docs/FORMAT.md §12). */
public interface SettingsSource {
    /**
     * SHA-256 (lower-case hex) of the canonical form of every setting's effective value, as this
     * process uses them (read once, at its start, or by {@link SettingsStore#reload}).
     */
    String digest();

    /**
     * {@link #digest} of the settings as they are stored now (read again). When it differs from
     * {@link #digest}, the settings were changed while this process ran: owner seals then refuse to
     * check or sign, since what the process acts on and what is stored are not the same.
     */
    String storedDigest();

    /** Whether {@code lockdown.exit-secret = any}: then a key file lifts lockdown, and an owner's sealed lockdown is not held against the row. */
    boolean lockdownExitByAnySecret();
}
