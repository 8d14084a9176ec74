package org.memoryvault.hardware.totp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One-time codes of RFC 4226 (HOTP) and RFC 6238 (TOTP), and the vault's acceptance rule: a code is
 * accepted for the time step it matches within one step of now (either side), and only if that step
 * is later than the last one accepted, so a code, or a code of any older step, is never accepted
 * twice (the caller stores the accepted step durably before it lets the operation through).
 *
 * <p>HMAC is computed here over {@link MessageDigest} (RFC 2104) so that every copy of the secret
 * (the padded key blocks) is wiped after use, which {@code javax.crypto.Mac} does not allow.
 */
public final class Totp {
    /** The hash of the HMAC, as {@code otpauth://} URIs name it. */
    public enum Algorithm {
        SHA1("SHA-1", 64), SHA256("SHA-256", 64), SHA512("SHA-512", 128);

        private final String digest;
        private final int blockSize;

        Algorithm(String digest, int blockSize) {
            this.digest = digest;
            this.blockSize = blockSize;
        }

        /** The algorithm named {@code SHA1}, {@code SHA256} or {@code SHA512} (any case), as in otpauth URIs. */
        public static Algorithm parse(String name) {
            for (Algorithm a : values()) if (a.name().equalsIgnoreCase(name)) return a;
            throw new IllegalArgumentException("TOTP algorithm must be SHA1, SHA256 or SHA512");
        }
    }

    /** What both sides agree on: the HMAC hash, the code's length (6-8 digits) and the step length in seconds. */
    public record Parameters(Algorithm algorithm, int digits, int periodSeconds) {
        public static final Parameters DEFAULT = new Parameters(Algorithm.SHA1, 6, 30);

        public Parameters {
            Objects.requireNonNull(algorithm, "algorithm");
            if (digits < 6 || digits > 8) throw new IllegalArgumentException("a TOTP code has 6 to 8 digits");
            if (periodSeconds < 1 || periodSeconds > 300) throw new IllegalArgumentException("a TOTP period is 1 to 300 seconds");
        }

        /** The stored form, e.g. {@code SHA1/6/30}. */
        public String text() { return algorithm.name() + "/" + digits + "/" + periodSeconds; }

        /** Reads {@link #text()}; anything else is an {@code IllegalArgumentException}. */
        public static Parameters parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length != 3 || !parts[1].matches("[0-9]{1,3}") || !parts[2].matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("TOTP parameters are ALGORITHM/DIGITS/PERIOD");
            }
            return new Parameters(Algorithm.parse(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {}

    /** The time step of {@code time}: whole periods since the Unix epoch (RFC 6238 with T0 = 0). */
    public static long step(Instant time, int periodSeconds) {
        return Math.floorDiv(time.getEpochSecond(), (long) periodSeconds);
    }

    /** The RFC 4226 code of {@code counter}, zero-padded to {@code digits}. */
    public static String hotp(byte[] secret, long counter, Algorithm algorithm, int digits) {
        byte[] message = new byte[8];
        for (int i = 7; i >= 0; i--) message[7 - i] = (byte) (counter >>> (8 * i));
        byte[] mac = hmac(algorithm, secret, message);
        int offset = mac[mac.length - 1] & 0x0f;
        int binary = ((mac[offset] & 0x7f) << 24) | ((mac[offset + 1] & 0xff) << 16) | ((mac[offset + 2] & 0xff) << 8)
                | (mac[offset + 3] & 0xff);
        Arrays.fill(mac, (byte) 0);
        String code = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    /** The TOTP code for {@code time}. */
    public static String code(byte[] secret, Parameters p, Instant time) {
        return hotp(secret, step(time, p.periodSeconds()), p.algorithm(), p.digits());
    }

    /**
     * The step that {@code code} proves at {@code now}: one of now's step and its two neighbours whose
     * code it is, later than {@code lastAccepted} (use {@code Long.MIN_VALUE} before the first code).
     * Empty for a wrong code, a code of the wrong length, and a replayed or older code. Every
     * candidate is compared in constant time.
     */
    public static OptionalLong accept(byte[] secret, Parameters p, String code, Instant now, long lastAccepted) {
        byte[] typed = code.strip().getBytes(StandardCharsets.US_ASCII);
        long current = step(now, p.periodSeconds());
        long accepted = Long.MIN_VALUE;
        for (long s = current - 1; s <= current + 1; s++) {
            byte[] expected = hotp(secret, s, p.algorithm(), p.digits()).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, typed) && s > lastAccepted && accepted == Long.MIN_VALUE) accepted = s;
        }
        Arrays.fill(typed, (byte) 0);
        return accepted == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(accepted);
    }

    /**
     * The {@code otpauth://totp/...} URI an authenticator app enrols from (Google Authenticator's Key
     * URI format): issuer "Memory Vault", the secret in unpadded base32.
     */
    public static String uri(String account, byte[] secret, Parameters p) {
        String label = encode("Memory Vault") + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode("Memory Vault") + "&algorithm="
                + p.algorithm().name() + "&digits=" + p.digits() + "&period=" + p.periodSeconds();
    }

    /** RFC 4648 base32 without padding, as authenticator apps read it. */
    public static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        return out.toString();
    }

    /** Reads {@link #base32} (upper-case RFC 4648 alphabet, no padding); anything else is an {@code IllegalArgumentException}. */
    public static byte[] base32Decode(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) throw new IllegalArgumentException("not base32: " + c);
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) out.append(c);
            else out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
        return out.toString();
    }

    /** HMAC (RFC 2104) over the JDK's digest; the key blocks are wiped before return (the caller wipes the result). */
    public static byte[] hmac(Algorithm algorithm, byte[] key, byte[] message) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm.digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.digest, e);
        }
        byte[] block = new byte[algorithm.blockSize];
        byte[] shortened = null;
        if (key.length > block.length) {
            shortened = digest.digest(key);
            System.arraycopy(shortened, 0, block, 0, shortened.length);
        } else {
            System.arraycopy(key, 0, block, 0, key.length);
        }
        byte[] pad = new byte[block.length];
        try {
            for (int i = 0; i < block.length; i++) pad[i] = (byte) (block[i] ^ 0x36);
            digest.update(pad);
            byte[] inner = digest.digest(message);
            for (int i = 0; i < block.length; i++) pad[i] = (byte) (block[i] ^ 0x5c);
            digest.update(pad);
            byte[] outer = digest.digest(inner);
            Arrays.fill(inner, (byte) 0);
            return outer;
        } finally {
            Arrays.fill(block, (byte) 0);
            Arrays.fill(pad, (byte) 0);
            if (shortened != null) Arrays.fill(shortened, (byte) 0);
        }
    }
}
