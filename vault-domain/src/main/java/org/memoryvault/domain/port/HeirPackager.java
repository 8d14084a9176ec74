package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Plaintext;

/**
 * Seals the dead-man switch's packages: for each heir one standard age file (age-encryption.org/v1,
 * to the heir's X25519 recipient) of a JSON document holding the manifest and the contents
 * (docs/RECOVERY.md, "Heir packages"). Plaintext goes no further than memory.
 */
public interface HeirPackager {
    /** One memory to release: its row and its content (the caller closes the plaintext). */
    record Item(Memory memory, Plaintext content) {
        public Item {
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(content, "content");
        }
    }

    /** What every package says besides the memories: when it was prepared, the deadline then, why. */
    record Manifest(Instant preparedAt, Instant deadline, String justification) {
        public Manifest {
            Objects.requireNonNull(preparedAt, "preparedAt");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(justification, "justification");
        }
    }

    /** One age file per heir name. */
    Map<String, byte[]> seal(List<Heir> heirs, Manifest manifest, List<Item> items);
}
