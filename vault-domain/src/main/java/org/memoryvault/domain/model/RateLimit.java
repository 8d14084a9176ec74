package org.memoryvault.domain.model;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** At most {@code count} requests per {@code window}, written {@code 60/m} (s, m, h or d). */
public record RateLimit(int count, Duration window) {
    private static final Pattern TEXT = Pattern.compile("([0-9]{1,6})/([smhd])");

    public RateLimit {
        if (count < 1) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a rate limit allows at least 1 request");
        if (window == null || window.isNegative() || window.isZero()) throw new IllegalArgumentException("window");
    }

    public static RateLimit parse(String text) {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a rate is COUNT/UNIT, e.g. 60/m (units s, m, h, d)");
        }
        Duration unit = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new RateLimit(Integer.parseInt(m.group(1)), unit);
    }

    /** The form {@link #parse} reads. */
    public String text() {
        long s = window.toSeconds();
        String unit = s == 1 ? "s" : s == 60 ? "m" : s == 3600 ? "h" : "d";
        return count + "/" + unit;
    }
}
