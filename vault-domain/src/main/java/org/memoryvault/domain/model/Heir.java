package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone a dead-man switch releases to: a name and an age X25519 recipient ({@code age1...}), and
 * the owner's Ed25519 signature (hex) of {@link #signedText}, made when the owner added the heir: a
 * recipient swapped in vault.db fails it, so no package is ever sealed to it.
 */
public record Heir(String name, String recipient, Instant addedAt, String signature) {
    public Heir {
        Escrow.requireName(name);
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(addedAt, "addedAt");
        Objects.requireNonNull(signature, "signature");
    }

    /** What the owner signs: the heir's name, recipient and time. */
    public static byte[] signedText(String name, String recipient, Instant addedAt) {
        return ("memory-vault/dms-heir/1\n" + name + "\n" + recipient + "\n" + addedAt.toEpochMilli() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
