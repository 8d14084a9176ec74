/**
 * The Python original's backup files (docs/IMPORT.md, "Legacy backups"), read as a legacy vault:
 * {@link org.memoryvault.adapters.legacy.JsonLegacyVault} decrypts a JSON container with the
 * legacy cipher and serves its memories and profiles to the import. Invariant: the decrypted
 * payload is wiped as soon as it is parsed; what stays is what the legacy backup held inside it
 * (each memory still sealed under its legacy key, its metadata as the original stored it).
 */
@NullMarked
package org.memoryvault.adapters.legacy;

import org.jspecify.annotations.NullMarked;
