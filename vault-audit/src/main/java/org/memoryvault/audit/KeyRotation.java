package org.memoryvault.audit;

import java.util.Objects;

/**
 * What {@link MerkleAuditLog#rotateKey()} did: the old epoch is revoked by the rotation entry at
 * {@code revokedAtIndex}; checkpoints of size up to that index stay valid under the old key, later
 * ones need the new key.
 */
public record KeyRotation(int oldEpoch, String oldKeyId, int newEpoch, String newKeyId, long revokedAtIndex, String newVerifierKey) {
    public KeyRotation {
        Objects.requireNonNull(oldKeyId, "oldKeyId");
        Objects.requireNonNull(newKeyId, "newKeyId");
        Objects.requireNonNull(newVerifierKey, "newVerifierKey");
    }
}
