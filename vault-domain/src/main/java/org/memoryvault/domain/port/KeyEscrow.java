package org.memoryvault.domain.port;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.Optional;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Escrow;

/**
 * Splits an owner key into Shamir shares, each written as a share document age-encrypted to its
 * holder, and recovers the key from share documents (docs/FORMAT.md §15). The domain never sees
 * key bytes or shares in the clear.
 *
 * <p>Security: {@link #recover} returns a key only when the shares combine to the committed
 * secret; a wrong, altered, foreign or repeated share is {@code INTEGRITY_TAMPERED} or
 * {@code INPUT_INVALID}, naming the share by its source.
 */
public interface KeyEscrow {
    /** Someone to hold a share: a name and an age X25519 recipient ({@code age1...}). */
    record Recipient(String name, String ageRecipient) {
        public Recipient {
            Escrow.requireName(name);
            Objects.requireNonNull(ageRecipient, "ageRecipient");
        }
    }

    /** The escrow made, and each holder's age file in holder order. */
    final class Split {
        private final Escrow escrow;
        private final List<byte[]> shareFiles;

        public Split(Escrow escrow, List<byte[]> shareFiles) {
            this.escrow = Objects.requireNonNull(escrow, "escrow");
            this.shareFiles = shareFiles.stream().map(byte[]::clone).toList();
        }

        public Escrow escrow() { return escrow; }

        public List<byte[]> shareFiles() { return shareFiles.stream().map(byte[]::clone).toList(); }
    }

    /** A share document as a holder handed it back (age-decrypted), and where it came from (for messages). */
    final class ShareDocument {
        private final String source;
        private final byte[] text;

        public ShareDocument(String source, byte[] text) {
            this.source = Objects.requireNonNull(source, "source");
            this.text = text.clone();
        }

        public String source() { return source; }

        public byte[] text() { return text.clone(); }

        /** Zeroes this copy of the share. */
        public void wipe() { java.util.Arrays.fill(text, (byte) 0); }
    }

    /** Splits the owner key {@code ownerKey} (its profile and key version) k-of-n among the recipients, as a new escrow (a random UUID). */
    Split split(DataKey ownerKey, int threshold, List<Recipient> recipients, java.time.Instant at);

    /**
     * The owner key from at least the threshold of share documents of one escrow, found by the id
     * they name through {@code escrows} (a new handle, the caller closes it).
     */
    DataKey recover(List<ShareDocument> shares, Function<String, Optional<Escrow>> escrows);
}
