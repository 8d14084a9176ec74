/**
 * Value objects and entities of the vault: memories, classifications, profiles, key slots, secrets.
 * Invariant: records validate on construction and hold no arrays or secrets; secret holders are
 * final classes with redacted toString and zeroing close.
 */
@NullMarked
package org.memoryvault.domain.model;

import org.jspecify.annotations.NullMarked;
