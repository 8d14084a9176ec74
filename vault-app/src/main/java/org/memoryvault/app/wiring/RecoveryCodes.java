package org.memoryvault.app.wiring;

import java.security.SecureRandom;

/**
 * Recovery codes ({@link org.memoryvault.domain.model.SlotType#RECOVERY_CODE}): 160 random bits as
 * 32 base32 letters in groups of four ({@code abcd-efgh-...}). What a user types is normalised
 * first (spaces dropped, lower case), so {@code ABCD EFGH ...} opens the same slot.
 */
public final class RecoveryCodes {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private RecoveryCodes() {}

    /** A fresh code. */
    public static String generate() {
        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        StringBuilder b = new StringBuilder(39);
        int buffer = 0;
        int bits = 0;
        int letters = 0;
        for (byte x : random) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                if (letters > 0 && letters % 4 == 0) b.append('-');
                b.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
                letters++;
            }
        }
        java.util.Arrays.fill(random, (byte) 0);
        return b.toString();
    }

    /** The code as stored: whitespace removed, lower case, groups joined by '-'; the input array is wiped. */
    static char[] normalise(char[] typed) {
        StringBuilder letters = new StringBuilder();
        for (char c : typed) {
            if (!Character.isWhitespace(c) && c != '-') letters.append(Character.toLowerCase(c));
        }
        java.util.Arrays.fill(typed, '\0');
        char[] out = new char[letters.length() + Math.max(0, (letters.length() - 1) / 4)];
        int j = 0;
        for (int i = 0; i < letters.length(); i++) {
            if (i > 0 && i % 4 == 0) out[j++] = '-';
            out[j++] = letters.charAt(i);
        }
        letters.setLength(0);
        return out;
    }
}
