package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A Shamir escrow of a profile's owner key material (docs/FORMAT.md §15): {@code threshold} of its
 * holders' shares give back the keys an owner passphrase slot of {@code profile} holds at
 * {@code keyVersion}. The vault keeps each share only age-encrypted to its holder, so the vault (and
 * whoever reads vault.db) holds nothing of the secret; {@code secretCommitment} and each holder's
 * {@code digest} let a recovery say which share is wrong.
 */
public record Escrow(String id, ProfileId profile, int keyVersion, int threshold, String secretCommitment, Instant createdAt,
                     List<Holder> holders) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /** One share's holder: its point (1..n), name, age recipient and the SHA-256 of its share document. */
    public record Holder(int index, String name, String recipient, String digest) {
        public Holder {
            requireName(name);
            Objects.requireNonNull(recipient, "recipient");
            if (index < 1 || index > 255) throw new IllegalArgumentException("a share's index is 1..255");
            if (!HEX64.matcher(digest).matches()) throw new IllegalArgumentException("a share digest is 64 hex digits");
        }
    }

    public Escrow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(createdAt, "createdAt");
        holders = List.copyOf(holders);
        if (threshold < 2 || threshold > holders.size() || holders.size() > 255) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an escrow needs 2 <= threshold <= holders <= 255 (threshold "
                    + threshold + ", " + holders.size() + " holders)");
        }
        if (!HEX64.matcher(secretCommitment).matches()) throw new IllegalArgumentException("a secret commitment is 64 hex digits");
        for (int i = 0; i < holders.size(); i++) {
            if (holders.get(i).index() != i + 1) throw new IllegalArgumentException("holders are in index order from 1");
            for (int j = 0; j < i; j++) {
                if (holders.get(j).name().equals(holders.get(i).name())) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "two holders are named " + holders.get(i).name());
                }
            }
        }
    }

    public int shares() { return holders.size(); }

    /** A holder's name: 1-64 letters, digits and {@code ._@-}, starting with a letter or digit. */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a name (of a holder or an heir) is 1-64 letters, digits and . _ @ -, starting with a letter or digit (got "
                    + (name == null ? "none" : "'" + name.substring(0, Math.min(name.length(), 64)) + "'") + ")");
        }
        return name;
    }
}
