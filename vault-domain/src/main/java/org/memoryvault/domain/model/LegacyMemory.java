package org.memoryvault.domain.model;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One row of the Python vault's {@code memories} table as stored (docs/IMPORT.md): text fields as
 * the original wrote them, the ciphertext (tag then body) and nonce of NaCl secretbox, and the
 * per-memory Argon2id salt of a passphrase profile. Absent ciphertext: not exported, or damaged.
 * The constructor adopts the arrays it is given (the caller gives up its references); the
 * accessors hand out copies.
 */
public final class LegacyMemory {
    private final String id;
    private final String createdAt;
    private final String createdBy;
    private final int classification;
    private final String profile;
    private final String contentHash;
    private final byte @Nullable [] ciphertext;
    private final byte @Nullable [] nonce;
    private final byte @Nullable [] salt;
    private final @Nullable String intentRef;
    private final @Nullable String metadata;
    private final @Nullable String accessPolicy;
    private final boolean tombstoned;
    private final @Nullable String tombstonedAt;
    private final @Nullable String tombstoneReason;

    public LegacyMemory(String id, String createdAt, String createdBy, int classification, String profile, String contentHash,
                        byte @Nullable [] ciphertext, byte @Nullable [] nonce, byte @Nullable [] salt, @Nullable String intentRef,
                        @Nullable String metadata, @Nullable String accessPolicy, boolean tombstoned, @Nullable String tombstonedAt,
                        @Nullable String tombstoneReason) {
        this.id = Objects.requireNonNull(id, "id");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.createdBy = Objects.requireNonNull(createdBy, "createdBy");
        this.classification = classification;
        this.profile = Objects.requireNonNull(profile, "profile");
        this.contentHash = Objects.requireNonNull(contentHash, "contentHash");
        this.ciphertext = ciphertext;     // adopted, not copied: a legacy memory may be large; the reader hands over its arrays
        this.nonce = nonce;
        this.salt = salt;
        this.intentRef = intentRef;
        this.metadata = metadata;
        this.accessPolicy = accessPolicy;
        this.tombstoned = tombstoned;
        this.tombstonedAt = tombstonedAt;
        this.tombstoneReason = tombstoneReason;
    }

    public String id() { return id; }

    /** Python {@code isoformat()} of a UTC time, e.g. {@code 2026-11-28T19:17:19.660673+00:00}. */
    public String createdAt() { return createdAt; }

    public String createdBy() { return createdBy; }

    public int classification() { return classification; }

    public String profile() { return profile; }

    /** Lower-case hex SHA-256 of the plaintext. */
    public String contentHash() { return contentHash; }

    public Optional<byte[]> ciphertext() { return Optional.ofNullable(ciphertext).map(byte[]::clone); }

    /** The ciphertext's length (0 without one), without a copy. */
    public long ciphertextLength() { return ciphertext == null ? 0 : ciphertext.length; }

    public Optional<byte[]> nonce() { return Optional.ofNullable(nonce).map(byte[]::clone); }

    public Optional<byte[]> salt() { return Optional.ofNullable(salt).map(byte[]::clone); }

    public Optional<String> intentRef() { return Optional.ofNullable(intentRef); }

    /** The value_metadata JSON text (the text {@code null} for none). */
    public Optional<String> metadata() { return Optional.ofNullable(metadata); }

    /** The access_policy JSON text; only {@code cooldown_seconds} means anything. */
    public Optional<String> accessPolicy() { return Optional.ofNullable(accessPolicy); }

    public boolean tombstoned() { return tombstoned; }

    public Optional<String> tombstonedAt() { return Optional.ofNullable(tombstonedAt); }

    public Optional<String> tombstoneReason() { return Optional.ofNullable(tombstoneReason); }

    @Override public String toString() { return "LegacyMemory[" + id + ", level " + classification + ", " + profile + "]"; }
}
