package org.memoryvault.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * The kind of a key slot: a registered name, stored in the database and shown to users (contract).
 * The types are open: a slot backend ({@link org.memoryvault.domain.port.SlotBackend}) brings its
 * own, and a stored type whose backend is not installed still parses (its slot just cannot open).
 * A name is 1-32 characters of {@code a-z 0-9 -}, starting with a letter.
 *
 * <p>Security: only {@link #PASSPHRASE} slots hold the owner key ({@link #holdsOwnerKey()}); that
 * rule lives here, in the domain, not in any backend or caller.
 */
public final class SlotType {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** A passphrase, stretched with Argon2id; the owner's slot type. */
    public static final SlotType PASSPHRASE = new SlotType("passphrase");
    /** A 32-byte key file, used as the key-encryption key as it is. */
    public static final SlotType KEY_FILE = new SlotType("keyfile");
    /**
     * A random code {@code vault init} prints once for a vault without an owner passphrase,
     * stretched with Argon2id like a passphrase. It unwraps what the key file unwraps, and on such a
     * vault it is the one secret that lifts lockdown (docs/THREAT-MODEL.md).
     */
    public static final SlotType RECOVERY_CODE = new SlotType("recovery-code");

    private final String wireName;

    private SlotType(String wireName) { this.wireName = wireName; }

    /** The slot type named {@code name}; {@code INPUT_INVALID} if it is not a well-formed name. */
    public static SlotType of(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                    "not a key slot type name (1-32 of a-z 0-9 -, starting with a letter): " + PrintableName.of(name));
        }
        if (name.equals(PASSPHRASE.wireName)) return PASSPHRASE;
        if (name.equals(KEY_FILE.wireName)) return KEY_FILE;
        if (name.equals(RECOVERY_CODE.wireName)) return RECOVERY_CODE;
        return new SlotType(name);
    }

    /** The name stored in the database and shown to users (contract). */
    public String wireName() { return wireName; }

    /** Whether slots of this type hold the owner key (and so prove the owner): passphrase slots only. */
    public boolean holdsOwnerKey() { return this.equals(PASSPHRASE); }

    @Override public boolean equals(Object o) { return o instanceof SlotType t && t.wireName.equals(wireName); }

    @Override public int hashCode() { return wireName.hashCode(); }

    @Override public String toString() { return wireName; }

    /** A bad name shown safely: at most 40 characters, control characters escaped. */
    private static final class PrintableName {
        static String of(String s) {
            StringBuilder b = new StringBuilder("'");
            s.codePoints().limit(40).forEach(c -> {
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\u%04x", c));
                else b.appendCodePoint(c);
            });
            return b.append(s.length() > 40 ? "...'" : "'").toString();
        }
    }
}
