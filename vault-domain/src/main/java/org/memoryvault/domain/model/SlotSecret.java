package org.memoryvault.domain.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The secret that opens a key slot: a passphrase (its UTF-8 bytes), a key file's 32 bytes, or what
 * another slot backend takes (a PIN; nothing when the device is the secret).
 *
 * <p>Security: no equals/hashCode; redacted toString; {@link #close()} zeroes the bytes. Whoever
 * creates one closes it.
 */
public final class SlotSecret implements AutoCloseable {
    private final SlotType type;
    private final byte[] bytes;

    private SlotSecret(SlotType type, byte[] bytes) {
        this.type = type;
        this.bytes = bytes;
    }

    /** Encodes the passphrase as UTF-8; the caller still owns (and should wipe) {@code passphrase}. */
    public static SlotSecret passphrase(char[] passphrase) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        return new SlotSecret(SlotType.PASSPHRASE, out);
    }

    /** Takes ownership of a key file's bytes. */
    public static SlotSecret keyFile(byte[] bytes) {
        return new SlotSecret(SlotType.KEY_FILE, Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * Takes ownership of the secret of another slot type (e.g. a PIN for a hardware backend); an
     * empty array when the device itself is the secret.
     */
    public static SlotSecret of(SlotType type, byte[] bytes) {
        return new SlotSecret(Objects.requireNonNull(type, "type"), Objects.requireNonNull(bytes, "bytes"));
    }

    public SlotType type() { return type; }

    public byte[] revealForCrypto() { return bytes; }

    @Override public void close() { Arrays.fill(bytes, (byte) 0); }

    @Override public String toString() { return "SlotSecret[" + type.wireName() + ", redacted]"; }
}
