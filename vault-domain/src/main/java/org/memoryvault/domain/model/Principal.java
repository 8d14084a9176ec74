package org.memoryvault.domain.model;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * Who asks: an agent or a human, by name, with the highest classification it may recall.
 * Unknown principals get {@link Classification#EPHEMERAL}, the lowest clearance.
 */
public record Principal(String name, Classification clearance) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clearance, "clearance");
        if (!validName(name)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                    "principal name must be 1-128 printable characters without spaces");
        }
    }

    public static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= 128
                && name.codePoints().allMatch(c -> c > 0x20 && c != 0x7f && !Character.isSurrogate((char) c) && !Character.isISOControl(c));
    }
}
