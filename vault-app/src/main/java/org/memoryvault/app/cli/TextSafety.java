package org.memoryvault.app.cli;

/** Keeps user-supplied text from carrying terminal control sequences onto the owner's screen. */
final class TextSafety {
    private TextSafety() {}

    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 2000));
        s.codePoints().limit(2000).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) b.append('?');
            else b.appendCodePoint(cp);
        });
        return b.toString();
    }
}
