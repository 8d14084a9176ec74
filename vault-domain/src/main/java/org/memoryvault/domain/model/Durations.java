package org.memoryvault.domain.model;

import java.time.Duration;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** Parses and prints the short durations users type: {@code 0}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.equals("0")) return Duration.ZERO;
        if (!t.matches("\\d{1,9}[smhd]")) {
            throw new InvalidInputException(ErrorCode.INPUT_DURATION,
                    "duration must be a whole number followed by s, m, h or d (e.g. 30s, 5m, 2h, 7d)");
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) return "0";
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3_600 == 0) return s / 3_600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
