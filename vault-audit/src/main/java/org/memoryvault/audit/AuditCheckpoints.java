package org.memoryvault.audit;

import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit module's administrative face for inbound adapters (the CLI, an embedding program):
 * signing checkpoints, the verifier key, key rotation. Appends go through the domain's
 * {@code AuditLog} port; reads and proofs through {@link AuditQueries}; checking through
 * {@link AuditVerifier}. This keeps {@link MerkleAuditLog} itself out of the wiring's public face.
 */
public final class AuditCheckpoints {
    private final MerkleAuditLog log;

    @Inject
    public AuditCheckpoints(MerkleAuditLog log) { this.log = Objects.requireNonNull(log, "log"); }

    /** Signs a checkpoint of the current tree if it grew since the latest one (see {@link MerkleAuditLog#checkpointIfGrown}). */
    public Optional<SignedCheckpoint> checkpointIfGrown() { return log.checkpointIfGrown(); }

    /** See {@link MerkleAuditLog#requireNotCutBack()}. */
    public void requireNotCutBack() { log.requireNotCutBack(); }

    /** The latest kept checkpoint, read back from the store (not re-verified). */
    public Optional<SignedCheckpoint> latestCheckpoint() { return log.latestCheckpoint(); }

    /** The current epoch's verifier key (C2SP note verifier key text). */
    public String verifierKey() { return log.verifierKey(); }

    /** Rotates the signing key (see {@link MerkleAuditLog#rotateKey}). */
    public KeyRotation rotateKey() { return log.rotateKey(); }
}
