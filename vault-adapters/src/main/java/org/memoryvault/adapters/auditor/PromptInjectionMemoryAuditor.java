package org.memoryvault.adapters.auditor;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.port.MemoryAuditor;

/**
 * Flags recalled text that looks like a prompt injection aimed at the agent that will read it:
 * "ignore previous instructions", jailbreak personas, requests for the system prompt, chat-template
 * control tokens and the like. In {@link Mode#WARN} a match delivers the memory with findings; in
 * {@link Mode#REFUSE} it withholds it.
 *
 * <p>The content is decoded as UTF-8 (malformed bytes become U+FFFD, never an error), then
 * normalised before matching: lower-cased, fullwidth ASCII folded to ASCII, zero-width characters
 * (U+200B..U+200D, U+2060, U+FEFF) and soft hyphens removed, and every run of whitespace collapsed to
 * one space, so spacing, case and invisible characters do not hide a phrase.
 *
 * <p>Security: a heuristic, not a guarantee; paraphrases, other languages, homoglyphs and encoded
 * text pass. Findings and the refusal reason name the matched patterns, never the content. The
 * decoded and normalised copies are wiped before {@link #inspect} returns; nothing is kept or
 * logged. Stateless and thread-safe.
 */
public final class PromptInjectionMemoryAuditor implements MemoryAuditor {
    /** What a match does: deliver with findings, or withhold. */
    public enum Mode { WARN, REFUSE }

    /** One well-known injection phrase: a short label for findings, and its pattern over normalised text. */
    private record Rule(String label, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            rule("asks to ignore previous instructions",
                    "\\bignore (?:(?:all|any) )?(?:(?:the|of the|your) )?(?:previous|prior|above|earlier) "
                            + "(?:instructions?|prompts?|rules)\\b"),
            rule("asks to disregard instructions",
                    "\\bdisregard (?:(?:all|any) )?(?:(?:the|of the) )?(?:previous|prior|above|your) "
                            + "(?:instructions?|rules|guidelines)\\b"),
            rule("claims a jailbroken persona", "\\byou are now (?:in )?(?:dan|developer mode|jailbroken)\\b"),
            rule("asks for the system prompt",
                    "\\b(?:reveal|print|show|output|repeat) (?:your|the) (?:system prompt|hidden instructions)\\b"),
            rule("contains chat-template control tokens", "<\\|im_start\\|>|<\\|im_end\\|>|\\[/?inst\\]|<</?sys>>"),
            rule("fakes a system or admin message", "\\bbegin (?:system|admin) (?:prompt|message)\\b"),
            rule("uses the \"do anything now\" jailbreak", "\\bdo anything now\\b"),
            rule("announces new instructions", "\\bnew instructions ?:"),
            rule("asks to act unfiltered or unrestricted", "\\bact as (?:an? )?(?:unfiltered|unrestricted)\\b"));

    private final Mode mode;

    public PromptInjectionMemoryAuditor(Mode mode) { this.mode = Objects.requireNonNull(mode, "mode"); }

    private static Rule rule(String label, String regex) { return new Rule(label, Pattern.compile(regex)); }

    @Override
    public String name() { return "prompt-injection"; }

    @Override
    public Verdict inspect(Memory memory, Plaintext content) {
        List<String> findings = findings(content.revealForCrypto());
        if (findings.isEmpty()) return new Pass();
        if (mode == Mode.WARN) return new Warn(findings);
        return new Refuse("possible prompt injection: " + String.join("; ", findings));
    }

    /** The labels of the rules that match {@code utf8}, in rule order; empty when none does. */
    static List<String> findings(byte[] utf8) {
        char[] decoded = decode(utf8);
        char[] normalised = new char[0];
        try {
            normalised = normalise(decoded);
            CharBuffer text = CharBuffer.wrap(normalised);
            List<String> found = new ArrayList<>();
            for (Rule r : RULES) {
                if (r.pattern().matcher(text).find()) found.add(r.label());
            }
            return List.copyOf(found);
        } finally {
            Arrays.fill(decoded, '\0');
            Arrays.fill(normalised, '\0');
        }
    }

    /** Decodes UTF-8 into a fresh array the caller wipes; malformed input becomes U+FFFD. */
    private static char[] decode(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        char[] out = new char[utf8.length];         // UTF-8 never yields more chars than bytes, nor does a replacement
        CharBuffer chars = CharBuffer.wrap(out);
        CoderResult r = decoder.decode(ByteBuffer.wrap(utf8), chars, true);   // REPLACE: only underflow or overflow
        if (r.isUnderflow()) r = decoder.flush(chars);
        if (!r.isUnderflow()) {
            Arrays.fill(out, '\0');
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "prompt-injection auditor: decoded text overflowed", null);
        }
        if (chars.position() == out.length) return out;
        char[] exact = Arrays.copyOf(out, chars.position());
        Arrays.fill(out, '\0');
        return exact;
    }

    /**
     * Lower-cases, folds fullwidth ASCII, drops invisible characters and collapses whitespace runs
     * (leading and trailing included) to one space, into a fresh array the caller wipes.
     */
    private static char[] normalise(char[] in) {
        char[] out = new char[in.length];
        int n = 0;
        boolean space = false;
        for (int i = 0; i < in.length; ) {
            int cp = Character.codePointAt(in, i);
            i += Character.charCount(cp);
            if (invisible(cp)) continue;
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (!space) out[n++] = ' ';
                space = true;
                continue;
            }
            space = false;
            if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;       // fullwidth forms of ASCII '!'..'~'
            int lower = Character.toLowerCase(cp);
            if (Character.charCount(lower) > Character.charCount(cp)) lower = cp;   // keep length: never grow
            n += Character.toChars(lower, out, n);
        }
        if (n == out.length) return out;
        char[] exact = Arrays.copyOf(out, n);
        Arrays.fill(out, '\0');
        return exact;
    }

    private static boolean invisible(int cp) {
        return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD;
    }
}
