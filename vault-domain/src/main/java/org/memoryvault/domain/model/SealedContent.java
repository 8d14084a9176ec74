package org.memoryvault.domain.model;

import java.util.Objects;

/**
 * A memory's content as stored: the 24-byte XChaCha20-Poly1305 nonce and the ciphertext with its
 * 16-byte tag (docs/FORMAT.md). Not secret, but bound to the memory by its associated data.
 */
public final class SealedContent {
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private final byte[] nonce;
    private final byte[] ciphertext;

    public SealedContent(byte[] nonce, byte[] ciphertext) {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ciphertext, "ciphertext");
        this.nonce = nonce.clone();
        this.ciphertext = ciphertext.clone();
    }

    public byte[] nonce() { return nonce.clone(); }

    public byte[] ciphertext() { return ciphertext.clone(); }

    public int ciphertextLength() { return ciphertext.length; }

    @Override public String toString() { return "SealedContent[" + ciphertext.length + " bytes]"; }
}
