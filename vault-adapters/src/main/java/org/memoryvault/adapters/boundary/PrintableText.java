package org.memoryvault.adapters.boundary;

/**
 * Makes text that came from the daemon (or from an exception about it) safe to print in a refusal,
 * an audit event or a terminal: control and format characters (escape sequences, bidi overrides)
 * are removed and the length is capped.
 */
final class PrintableText {
    /** How many code points of foreign text a reason keeps. */
    static final int MAX_CODE_POINTS = 200;

    private PrintableText() {}

    static String of(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_CODE_POINTS + 3));
        int kept = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || isInvisible(cp)) continue;
            if (kept == MAX_CODE_POINTS) {
                b.append("...");
                break;
            }
            b.appendCodePoint(cp);
            kept++;
        }
        return b.toString().strip();
    }

    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
