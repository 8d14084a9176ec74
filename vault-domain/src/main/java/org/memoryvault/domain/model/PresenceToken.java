package org.memoryvault.domain.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * An enrolled presence token (docs/FORMAT.md §13): its name, its kind ({@code totp} today), the
 * parameters its kind needs in the clear, its secret sealed under the vault owner's key, and the
 * last counter (a TOTP time step) it was accepted for, so no code is accepted twice.
 */
public final class PresenceToken {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final String name;
    private final String kind;
    private final String parameters;
    private final byte[] sealedSecret;
    private final OptionalLong lastCounter;
    private final Instant createdAt;

    public PresenceToken(String name, String kind, String parameters, byte[] sealedSecret, OptionalLong lastCounter, Instant createdAt) {
        requireValidName(name);
        this.name = name;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.sealedSecret = Objects.requireNonNull(sealedSecret, "sealedSecret").clone();
        this.lastCounter = Objects.requireNonNull(lastCounter, "lastCounter");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    public String name() { return name; }

    public String kind() { return kind; }

    public String parameters() { return parameters; }

    /** The sealed secret (a copy): only the owner's key opens it. */
    public byte[] sealedSecret() { return sealedSecret.clone(); }

    public OptionalLong lastCounter() { return lastCounter; }

    public Instant createdAt() { return createdAt; }

    /** A token name: 1-32 of {@code a-z 0-9 -}, starting with a letter. */
    public static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a token name is 1-32 of a-z, 0-9 and -, starting with a letter");
        }
    }

    /** What the sealed secret is bound to: {@code "MVTK" 0x01}, then name, kind and parameters separated by NUL (an edit of any fails to open). */
    public byte[] associatedData() {
        return ("MVTK\u0001" + name + "\u0000" + kind + "\u0000" + parameters).getBytes(StandardCharsets.UTF_8);
    }

    @Override public String toString() { return "PresenceToken[" + name + ", " + kind + ", " + parameters + "]"; }
}
