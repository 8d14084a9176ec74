package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.model.LegacyMemory;

/**
 * A vault of the Python original, read only (docs/IMPORT.md): its profiles, memories, recall log
 * with the Merkle leaves over it, and the newest signed root. Nothing is ever written to it.
 */
public interface LegacyVault extends AutoCloseable {
    /** The encryption profiles: id, key source ({@code HumanPassphrase}, {@code KeyFile}, {@code TPM}), exportable. */
    List<Profile> profiles();

    /** Every memory, oldest first (by created_at as text, then id), one at a time. */
    void forEachMemory(Consumer<LegacyMemory> sink);

    /** How many memories there are. */
    long memoryCount();

    /** The recall log in leaf order, each with the leaf hash stored for it (none if it has no leaf). */
    List<Recall> recalls();

    /** The newest row of merkle_roots, if any. */
    Optional<Root> newestRoot();

    @Override void close();

    record Profile(String id, String keySource, boolean exportable) {}

    record Recall(String requestId, String memoryId, String requester, String timestamp, boolean approved,
                  @Nullable String justification, Optional<String> storedLeafHash) {}

    /** A merkle_roots row: seq, root hash, timestamp, leaf count, base64 Ed25519 signature. */
    record Root(long seq, String rootHash, String timestamp, long leafCount, String signature) {}
}
