package org.memoryvault.domain.model;

import java.util.Objects;

/**
 * A memory's content as stored: the 24-byte XChaCha20-Poly1305 nonce, the ciphertext with its
 * 16-byte tag, and the memory's own content key wrapped for its level's tier (docs/FORMAT.md §2-4).
 * Not secret, but bound to the memory by its associated data. An empty {@code wrappedKey} marks a
 * memory of format 1, sealed directly under its profile's key.
 */
public final class SealedContent {
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private final byte[] nonce;
    private final byte[] ciphertext;
    private final byte[] wrappedKey;

    public SealedContent(byte[] nonce, byte[] ciphertext, byte[] wrappedKey) {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        this.nonce = nonce.clone();
        this.ciphertext = ciphertext.clone();
        this.wrappedKey = wrappedKey.clone();
    }

    /** Content of format 1 (no per-memory content key). */
    public SealedContent(byte[] nonce, byte[] ciphertext) { this(nonce, ciphertext, new byte[0]); }

    public byte[] wrappedKey() { return wrappedKey.clone(); }

    /** The format of the sealed content: 2 with a per-memory content key, 1 before key tiers. */
    public int format() { return wrappedKey.length == 0 ? 1 : 2; }

    public byte[] nonce() { return nonce.clone(); }

    public byte[] ciphertext() { return ciphertext.clone(); }

    public int ciphertextLength() { return ciphertext.length; }

    @Override public String toString() { return "SealedContent[" + ciphertext.length + " bytes]"; }
}
