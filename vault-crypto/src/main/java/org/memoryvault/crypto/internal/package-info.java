/**
 * Helpers of vault-crypto only: the thin byte-array layer over libsodium, the slot and session
 * byte encodings, and owner-only file creation. Nothing here is used outside this module.
 * Invariant: every call into libsodium goes through {@link org.memoryvault.crypto.internal.Libsodium},
 * which turns a non-zero return into an exception or a {@code false}, never into silent garbage.
 */
@NullMarked
package org.memoryvault.crypto.internal;

import org.jspecify.annotations.NullMarked;
