package org.memoryvault.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;

/**
 * A C2SP signed note, parsed but not yet trusted: its text (ending in a newline) and its
 * signature lines {@code "— <key name> <base64(key id || signature)>"}. The text is separated
 * from the signatures by the note's last blank line.
 *
 * <p>Security: {@link #text()} means nothing until {@link #verifiedBy} returned true for a key
 * you trust. Following the spec, lines from other keys are ignored, and the first line matching
 * a key's name and id decides.
 */
public final class SignedNote {
    /** Em dash (U+2014) and a space: the start of every signature line. */
    public static final String SIGNATURE_PREFIX = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    private final String text;
    private final List<Line> lines;

    /** One signature line, undecoded beyond its key id. */
    public record Line(String keyName, int keyId, String base64) {
        public Line {
            Objects.requireNonNull(keyName, "keyName");
            Objects.requireNonNull(base64, "base64");
        }

        byte[] signature() {
            byte[] raw = Base64.getDecoder().decode(base64);
            return Arrays.copyOfRange(raw, 4, raw.length);
        }
    }

    private SignedNote(String text, List<Line> lines) {
        this.text = text;
        this.lines = List.copyOf(lines);
    }

    /**
     * Parses a note.
     *
     * @throws IntegrityException (INTEGRITY_SIGNATURE) if it is not a well-formed signed note
     */
    public static SignedNote parse(String note) {
        if (note.isEmpty() || !note.endsWith("\n")) throw malformed("does not end with a newline");
        for (int i = 0; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c < 0x20 && c != '\n') throw malformed("contains a control character");
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < note.length() && Character.isLowSurrogate(note.charAt(i + 1));
                if (!pair) throw malformed("is not valid Unicode");
                i++;
            }
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) throw malformed("has no blank line before its signatures");
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (block.isEmpty()) throw malformed("has no signature");
        String[] raw = block.substring(0, block.length() - 1).split("\n", -1);
        if (raw.length > MAX_SIGNATURES) throw malformed("has too many signatures");
        List<Line> lines = new ArrayList<>(raw.length);
        for (String line : raw) {
            if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed("has a signature line without the em dash prefix");
            String rest = line.substring(SIGNATURE_PREFIX.length());
            int space = rest.indexOf(' ');
            if (space <= 0) throw malformed("has a signature line without a key name");
            String name = rest.substring(0, space);
            String b64 = rest.substring(space + 1);
            if (!VerifierKey.validName(name)) throw malformed("has an invalid key name");
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw malformed("has a signature that is not base64");
            }
            if (sig.length < 5 || !Base64.getEncoder().encodeToString(sig).equals(b64)) throw malformed("has a malformed signature");
            int id = (sig[0] & 0xff) << 24 | (sig[1] & 0xff) << 16 | (sig[2] & 0xff) << 8 | (sig[3] & 0xff);
            lines.add(new Line(name, id, b64));
        }
        return new SignedNote(text, lines);
    }

    /**
     * Signs {@code text} as a note with one signature by {@code key}, using {@code sign} to produce
     * the 64-byte Ed25519 signature of the text's UTF-8 bytes.
     */
    public static String sign(String text, VerifierKey key, Function<byte[], byte[]> sign) {
        if (text.isEmpty() || !text.endsWith("\n") || text.contains("\n\n")) {
            throw new IllegalArgumentException("note text must end with a newline and have no blank line");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 && text.charAt(i) != '\n') throw new IllegalArgumentException("note text has a control character");
        }
        byte[] sig = sign.apply(text.getBytes(StandardCharsets.UTF_8));
        byte[] raw = new byte[4 + sig.length];
        int id = key.keyId();
        raw[0] = (byte) (id >>> 24);
        raw[1] = (byte) (id >>> 16);
        raw[2] = (byte) (id >>> 8);
        raw[3] = (byte) id;
        System.arraycopy(sig, 0, raw, 4, sig.length);
        return text + "\n" + SIGNATURE_PREFIX + key.name() + " " + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    /** The signed text, including its final newline. Untrusted until verified. */
    public String text() { return text; }

    public List<Line> lines() { return lines; }

    /** True when the first signature line with {@code key}'s name and id verifies over the text. */
    public boolean verifiedBy(VerifierKey key) {
        for (Line l : lines) {
            if (l.keyName().equals(key.name()) && l.keyId() == key.keyId()) {
                return key.verify(text.getBytes(StandardCharsets.UTF_8), l.signature());
            }
        }
        return false;
    }

    /** True when some line names {@code key}'s name and id (whether or not it verifies). */
    public boolean hasLineFor(VerifierKey key) {
        return lines.stream().anyMatch(l -> l.keyName().equals(key.name()) && l.keyId() == key.keyId());
    }

    private static IntegrityException malformed(String why) {
        return new IntegrityException(ErrorCode.INTEGRITY_SIGNATURE, "signed note " + why, null);
    }
}
