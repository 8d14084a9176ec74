/**
 * The crypto adapters on libsodium: memory sealing ({@code SodiumSealer}), the key-slot cipher and
 * the passphrase and key-file slot backends, the cross-process unlock session records and the audit
 * signer, wired through the module's one public face, {@link org.memoryvault.crypto.CryptoModule}.
 * Invariant: data-key bytes never leave this package; the domain only sees {@code DataKey} handles,
 * and every byte layout written here is specified in docs/FORMAT.md.
 */
@NullMarked
package org.memoryvault.crypto;

import org.jspecify.annotations.NullMarked;
