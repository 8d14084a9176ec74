/**
 * The crypto adapters on libsodium: memory sealing ({@code SodiumSealer}), passphrase and key-file
 * key slots, the in-process key cache and the cross-process unlock session records, plus their
 * public faces {@link org.memoryvault.crypto.CryptoModule} and {@link org.memoryvault.crypto.CryptoAdapters}.
 * Invariant: data-key bytes never leave this package; the domain only sees {@code DataKey} handles,
 * and every byte layout written here is specified in docs/FORMAT.md.
 */
@NullMarked
package org.memoryvault.crypto;

import org.jspecify.annotations.NullMarked;
