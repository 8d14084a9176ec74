package org.memoryvault.domain.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A memory's content in the clear. Exists only transiently.
 *
 * <p>Security: no equals/hashCode on purpose; {@link #toString()} is redacted; {@link #close()}
 * zeroes the bytes. The caller that receives a Plaintext must close it.
 */
public final class Plaintext implements AutoCloseable {
    private final byte[] bytes;

    private Plaintext(byte[] bytes) { this.bytes = bytes; }

    /** Takes ownership of {@code bytes}: the caller must not use or wipe them afterwards. */
    public static Plaintext adopt(byte[] bytes) { return new Plaintext(Objects.requireNonNull(bytes, "bytes")); }

    /** The bytes themselves, not a copy: for crypto and for writing to the caller, never for logs. */
    public byte[] revealForCrypto() { return bytes; }

    public int length() { return bytes.length; }

    @Override public void close() { Arrays.fill(bytes, (byte) 0); }

    @Override public String toString() { return "Plaintext[redacted, " + bytes.length + " bytes]"; }
}
