package org.memoryvault.domain.model;

/** How a key slot's key-encryption key is obtained. Hardware types come with the hardware module. */
public enum SlotType {
    PASSPHRASE("passphrase"),
    KEY_FILE("keyfile");

    private final String wireName;

    SlotType(String wireName) { this.wireName = wireName; }

    /** The name stored in the database and shown to users (contract). */
    public String wireName() { return wireName; }

    public static SlotType fromWireName(String name) {
        for (SlotType t : values()) {
            if (t.wireName.equals(name)) return t;
        }
        throw new org.memoryvault.domain.error.InvalidInputException(
                org.memoryvault.domain.error.ErrorCode.INPUT_INVALID, "unknown key slot type: " + name);
    }
}
