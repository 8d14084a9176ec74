package org.memoryvault.domain.port;

import java.util.List;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Plaintext;

/**
 * Inspects recalled content after decryption and before delivery (gate 9 of ARCHITECTURE §3):
 * e.g. flags prompt-injection text that an agent should not obey.
 *
 * <p>Security: an auditor sees plaintext; it must not keep, log or send it anywhere.
 */
public interface MemoryAuditor {
    /** A short stable name, shown in findings. */
    String name();

    Verdict inspect(Memory memory, Plaintext content);

    /** What an auditor concluded. */
    sealed interface Verdict permits Pass, Warn, Refuse {}

    record Pass() implements Verdict {}

    /** Deliver, with these findings attached to the result. */
    record Warn(List<String> findings) implements Verdict {
        public Warn {
            findings = List.copyOf(findings);
        }
    }

    /** Do not deliver. */
    record Refuse(String reason) implements Verdict {}
}
