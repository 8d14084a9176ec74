package org.memoryvault.domain.model;

import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/** A key profile's name: 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit. */
public record ProfileId(String value) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ProfileId {
        Objects.requireNonNull(value, "value");
        if (!NAME.matcher(value).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_PROFILE_NAME,
                    "profile name must be 1-64 characters of a-z 0-9 . _ - and start with a letter or digit");
        }
    }

    public static ProfileId of(String value) { return new ProfileId(value); }

    @Override public String toString() { return value; }
}
