/**
 * The Merkle machinery behind the audit log: RFC 9162 hashing, the compact range kept at the
 * tree's right edge, subtree hashes read back from stored tiles, proof construction and the flat
 * JSON reader the verifier uses. Invariant: nothing here trusts the store; callers compare.
 */
@NullMarked
package org.memoryvault.audit.internal;

import org.jspecify.annotations.NullMarked;
