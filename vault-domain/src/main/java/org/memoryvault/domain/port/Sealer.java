package org.memoryvault.domain.port;

import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;

/**
 * Authenticated encryption of memory content under a profile's data key (docs/FORMAT.md).
 *
 * <p>Security: {@link #open} either returns the exact plaintext that was sealed with the same
 * associated data or throws {@code IntegrityException(INTEGRITY_TAMPERED)}; it never returns
 * unauthenticated bytes. The caller closes every returned {@link Plaintext} and {@link DataKey}.
 */
public interface Sealer {
    /** A fresh random 256-bit data key. */
    DataKey newDataKey(ProfileId profile, int keyVersion);

    SealedContent seal(DataKey key, AssociatedData ad, Plaintext plaintext);

    Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed);

    /** The keyed content commitment of a memory's plaintext. */
    ContentCommitment commit(DataKey key, MemoryId id, Plaintext plaintext);
}
