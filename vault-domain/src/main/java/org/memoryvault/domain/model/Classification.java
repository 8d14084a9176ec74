package org.memoryvault.domain.model;

import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * A memory's classification, fixed at write time and bound into the ciphertext's associated data.
 * Each level carries its recall requirements as data (ARCHITECTURE §3); tests pin the table.
 */
public enum Classification {
    EPHEMERAL(0, new Requirements(false, false, false, true)),
    WORKING(1, new Requirements(false, false, false, false)),
    PRIVATE(2, new Requirements(false, false, false, false)),
    SEALED(3, new Requirements(true, true, false, false)),
    VAULTED(4, new Requirements(true, true, false, false)),
    BLACK(5, new Requirements(true, true, true, false));

    /**
     * What a recall of this level needs beyond the gates every level passes (lockdown, tombstone,
     * clearance, boundary check, cooldown, authenticated decryption).
     *
     * @param networkOff     the local boundary guard refuses while a non-loopback interface is up
     * @param humanApproval  a human must approve each recall
     * @param hardwareToken  a physical presence token must be shown
     * @param expires        the memory expires after the ephemeral TTL and is purged
     */
    public record Requirements(boolean networkOff, boolean humanApproval, boolean hardwareToken, boolean expires) {}

    private final int level;
    private final Requirements requirements;

    Classification(int level, Requirements requirements) {
        this.level = level;
        this.requirements = requirements;
    }

    public int level() { return level; }

    public Requirements requirements() { return requirements; }

    /** True when a principal of this clearance may recall a memory of {@code memory}'s level. */
    public boolean covers(Classification memory) { return level >= memory.level; }

    public static Classification ofLevel(int level) {
        for (Classification c : values()) {
            if (c.level == level) return c;
        }
        throw new InvalidInputException(ErrorCode.INPUT_CLASSIFICATION,
                "classification must be an integer from 0 to 5, got " + level);
    }

    /** Parses a level number ("0".."5") or a name ("sealed"), as a user types it. */
    public static Classification parse(String text) {
        String t = text.trim();
        if (t.matches("-?\\d{1,9}")) return ofLevel(Integer.parseInt(t));
        for (Classification c : values()) {
            if (c.name().equalsIgnoreCase(t)) return c;
        }
        throw new InvalidInputException(ErrorCode.INPUT_CLASSIFICATION,
                "classification must be 0-5 or one of ephemeral, working, private, sealed, vaulted, black");
    }
}
