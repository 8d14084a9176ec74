package org.memoryvault.domain.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What opens a memory's content commitment ({@link ContentCommitment}, docs/FORMAT.md §5): the
 * 32-byte commit key of that memory, derived one-way from its content key. With it and the content,
 * anyone checks {@code HMAC-SHA-256(commit key, memory id || content) == commitment} (docs/PROOFS.md);
 * it opens no ciphertext, yet it lets its holder test guesses of that one memory's content, so it is
 * handed out only after a recall through the gates.
 *
 * <p>Security: no equals/hashCode; {@link #toString()} is redacted; {@link #close()} zeroes the key.
 */
public final class CommitmentOpening implements AutoCloseable {
    public static final int KEY_BYTES = 32;

    private final MemoryId memory;
    private final byte[] key;

    /** Takes ownership of {@code key} (32 bytes): the caller must not use or wipe it afterwards. */
    public CommitmentOpening(MemoryId memory, byte[] key) {
        this.memory = Objects.requireNonNull(memory, "memory");
        if (key.length != KEY_BYTES) throw new IllegalArgumentException("a commit key is " + KEY_BYTES + " bytes");
        this.key = key;
    }

    public MemoryId memory() { return memory; }

    /** The key itself, not a copy: for writing the opening file, never for logs. */
    public byte[] revealKey() { return key; }

    @Override public void close() { Arrays.fill(key, (byte) 0); }

    @Override public String toString() { return "CommitmentOpening[" + memory + ", redacted]"; }
}
