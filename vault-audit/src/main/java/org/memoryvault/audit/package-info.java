/**
 * The vault's tamper-evident audit log (docs/AUDIT.md): RFC 9162 Merkle tree over canonical JSON
 * entries, C2SP signed checkpoints under epoch-numbered Ed25519 keys, inclusion and consistency
 * proofs, and a full verifier. Invariant: every check an outsider can do is done from entry bytes,
 * signed notes and public keys only, never from derived state the store merely claims.
 */
@NullMarked
package org.memoryvault.audit;

import org.jspecify.annotations.NullMarked;
