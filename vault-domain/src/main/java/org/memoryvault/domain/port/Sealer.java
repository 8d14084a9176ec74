package org.memoryvault.domain.port;

import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TierLocks;

/**
 * The key tiers and authenticated encryption of memory content (docs/FORMAT.md §2-5, §10, §11). Each memory
 * has its own content key; it is wrapped under the symmetric tier key of its level (0-2), which key
 * files and agent credentials hold, or sealed to the public key of its level (3-5), whose private
 * half only the owner's key derives. So a key file or credential opens levels 0-2 with libsodium
 * alone, and nothing but the owner's key (or a key the owner released) opens levels 3-5.
 *
 * <p>Security: every open either returns the exact plaintext that was sealed with the same
 * associated data and matches the commitment, or throws {@code IntegrityException(INTEGRITY_TAMPERED)};
 * a key that does not reach the memory's level is {@code AccessRefusedException(ACCESS_CLEARANCE)}.
 * The caller closes every returned {@link Plaintext} and {@link DataKey}.
 */
public interface Sealer {
    /** Fresh keys for a new profile or key version: the owner's key (it derives every tier). */
    DataKey newDataKey(ProfileId profile, int keyVersion);

    /** The owner's key for a profile from before key tiers: its level-2 tier key (the old data key) and a fresh owner key. */
    DataKey withNewOwnerKey(DataKey tierKey);

    /** The profile's public locks, from the owner's key; with {@code escrowOwner}, the owner key sealed under the key-file tier too. */
    TierLocks locks(DataKey ownerKey, boolean escrowOwner);

    /**
     * The owner's key with a fresh random device secret for level 5 (docs/FORMAT.md §3, "Level 5
     * bound to a device"); a new handle, the caller closes it.
     */
    DataKey withNewDeviceSecret(DataKey ownerKey);

    /**
     * {@code current} with level 5's public key derived from the owner key and the device secret
     * that {@code boundKey} carries, followed by the owner's MAC over the three public keys.
     */
    TierLocks bindLevel5(DataKey boundKey, TierLocks current);

    /**
     * The owner's key with a fresh random level-2 tier key (so fresh levels 0-2) at
     * {@code keyVersion}; the owner key, and so levels 3-5 and the owner's seal key, unchanged.
     * For a re-key (docs/FORMAT.md §3, "Re-keying"); a new handle, the caller closes it.
     */
    DataKey withNewTierKey(DataKey ownerKey, int keyVersion);

    /** {@code next}'s tier key sealed under a key only {@code ownerKey} derives, bound to the profile and next's key version. */
    byte[] sealPendingKey(DataKey ownerKey, DataKey next);

    /** Opens {@link #sealPendingKey}: the owner's key with that tier key at {@code keyVersion}; anything else is {@code INTEGRITY_TAMPERED}. */
    DataKey openPendingKey(DataKey ownerKey, int keyVersion, byte[] sealed);

    /** The owner's key from a key-file-tier key and the profile's owner escrow (profiles without an owner passphrase). */
    DataKey openEscrow(DataKey key, TierLocks locks);

    /** Seals a memory under a fresh content key, wrapped for the memory's level (the key must reach levels 0-2 up to it). */
    Sealed seal(DataKey key, TierLocks locks, AssociatedData ad, Plaintext plaintext);

    /** Opens a memory with a key that reaches its level. */
    Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment);

    /**
     * The commit key of a memory (its commitment's opening, docs/PROOFS.md), with a key that
     * reaches its level, only after that key opened the content and matched {@code commitment}; the
     * caller wipes the result.
     */
    byte[] commitKey(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment);

    /**
     * The owner releases one memory: its content key sealed to a principal's public key, only
     * after that key opened this memory's content under this memory's associated data and matched
     * its commitment (a content key moved in from another row is {@code INTEGRITY_TAMPERED}), and
     * only to a principal row the owner authenticated ({@link #requireAuthentic}).
     */
    byte[] release(DataKey ownerKey, AssociatedData ad, SealedContent sealed, ContentCommitment commitment,
                   PrincipalRecord recipient);

    /**
     * Checks, with the owner's key, that the profile's public locks are the ones its owner key
     * derives (level 5 of a bound profile: the owner's MAC over it, and with a key that carries the
     * device secret, the key itself), and a principal row's owner MAC; a mismatch is
     * {@code INTEGRITY_TAMPERED} (the row was replaced outside the vault).
     */
    void requireAuthentic(DataKey ownerKey, TierLocks locks);

    /** See {@link #requireAuthentic(DataKey, TierLocks)}: a principal row the owner enrolled, unedited. */
    void requireAuthentic(DataKey ownerKey, PrincipalRecord principal);

    /** Opens a memory with a content key released to the principal whose key this is. */
    Plaintext openReleased(DataKey agentKey, byte[] release, AssociatedData ad, SealedContent sealed, ContentCommitment commitment);

    /** What a new agent credential unlocks, and the owner's MAC over the row: enrolment needs the owner's key. */
    Enrollment enroll(DataKey ownerKey, String name, Classification clearance, SlotSecret credential);

    /** Opens what a principal's credential unlocks; a wrong credential is {@code ACCESS_WRONG_SECRET}. */
    DataKey authenticate(PrincipalRecord principal, SlotSecret credential);

    /** The public id of a credential (a keyed hash), by which its principal is found. */
    String credentialId(SlotSecret credential);

    /** The public half of the owner's seal key, an Ed25519 key pair only the owner key derives (FORMAT.md §12). */
    byte[] ownerSealKey(DataKey ownerKey);

    /** The owner's Ed25519 signature of {@code message} under {@link #ownerSealKey}. */
    byte[] signAsOwner(DataKey ownerKey, byte[] message);

    /** Whether {@code signature} is {@code publicKey}'s Ed25519 signature of {@code message}. */
    boolean verifySignature(byte[] publicKey, byte[] message, byte[] signature);

    /**
     * Seals a small secret only the vault owner may read (a presence token's secret, docs/FORMAT.md
     * §13) under a key derived from the owner key, bound to {@code ad}.
     */
    byte[] sealOwnerSecret(DataKey ownerKey, byte[] ad, byte[] secret);

    /**
     * Opens {@link #sealOwnerSecret}; another key or other associated data is {@code INTEGRITY_TAMPERED}.
     * The caller wipes the result.
     */
    byte[] openOwnerSecret(DataKey ownerKey, byte[] ad, byte[] sealed);

    /** A sealed memory and the commitment to its content. */
    record Sealed(SealedContent content, ContentCommitment commitment) {}

    /** What a principal row stores of its credential, and the owner's MAC over the row (FORMAT.md §10). */
    final class Enrollment {
        private final String credentialId;
        private final byte[] boxPublicKey;
        private final byte[] wrappedKey;
        private final byte[] ownerMac;

        public Enrollment(String credentialId, byte[] boxPublicKey, byte[] wrappedKey, byte[] ownerMac) {
            this.credentialId = java.util.Objects.requireNonNull(credentialId, "credentialId");
            this.boxPublicKey = boxPublicKey.clone();
            this.wrappedKey = wrappedKey.clone();
            this.ownerMac = ownerMac.clone();
        }

        public String credentialId() { return credentialId; }
        public byte[] boxPublicKey() { return boxPublicKey.clone(); }
        public byte[] wrappedKey() { return wrappedKey.clone(); }
        public byte[] ownerMac() { return ownerMac.clone(); }
    }
}
