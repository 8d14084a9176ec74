package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * An agent principal as the vault stores it (docs/FORMAT.md §10): its name, profile and clearance,
 * and what its credential unlocks. The credential itself (32 random bytes in a 0600 file the agent
 * holds) is never stored: only its id (a keyed hash), the public key approvals are sealed to, and
 * the tier key of its clearance wrapped under a key derived from it.
 *
 * @param wrappedKey nonce || XChaCha20-Poly1305 of the tier key, bound to name, profile, key version and clearance
 * @param rate       the most requests (stores and recalls) it may make per window, if limited
 */
public final class PrincipalRecord {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String name;
    private final ProfileId profile;
    private final Classification clearance;
    private final int keyVersion;
    private final String credentialId;
    private final byte[] boxPublicKey;
    private final byte[] wrappedKey;
    private final byte[] ownerMac;
    private final Optional<RateLimit> rate;
    private final Instant createdAt;

    /** @param ownerMac the owner's MAC over name, profile, key version, clearance, credential id and both keys */
    public PrincipalRecord(String name, ProfileId profile, Classification clearance, int keyVersion, String credentialId,
                           byte[] boxPublicKey, byte[] wrappedKey, byte[] ownerMac, Optional<RateLimit> rate, Instant createdAt) {
        this.name = requireValidName(name);
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clearance = Objects.requireNonNull(clearance, "clearance");
        this.keyVersion = keyVersion;
        this.credentialId = Objects.requireNonNull(credentialId, "credentialId");
        if (!ID.matcher(credentialId).matches()) throw new IllegalArgumentException("credentialId");
        this.boxPublicKey = Objects.requireNonNull(boxPublicKey, "boxPublicKey").clone();
        this.wrappedKey = Objects.requireNonNull(wrappedKey, "wrappedKey").clone();
        this.ownerMac = Objects.requireNonNull(ownerMac, "ownerMac").clone();
        this.rate = Objects.requireNonNull(rate, "rate");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A principal's name: 1-64 of A-Z a-z 0-9 . _ - (not starting with . _ -), and not "owner". */
    public static String requireValidName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || Requester.OWNER_NAME.equals(name)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID,
                    "a principal name is 1-64 of A-Z a-z 0-9 . _ - (starting with a letter or digit), and not \"owner\"");
        }
        return name;
    }

    public String name() { return name; }
    public ProfileId profile() { return profile; }
    public Classification clearance() { return clearance; }
    public int keyVersion() { return keyVersion; }
    public String credentialId() { return credentialId; }
    public byte[] boxPublicKey() { return boxPublicKey.clone(); }
    public byte[] wrappedKey() { return wrappedKey.clone(); }
    public byte[] ownerMac() { return ownerMac.clone(); }
    public Optional<RateLimit> rate() { return rate; }
    public Instant createdAt() { return createdAt; }

    @Override public String toString() { return "PrincipalRecord[" + name + ", " + profile + ", clearance " + clearance.level() + "]"; }
}
