/**
 * The sealed {@link org.memoryvault.domain.error.VaultException} hierarchy and its stable codes.
 * Invariant: every message is safe to print; no secret or plaintext ever reaches one.
 */
@NullMarked
package org.memoryvault.domain.error;

import org.jspecify.annotations.NullMarked;
