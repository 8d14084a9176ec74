-- Memory Vault schema version 8: level 5 bound to a device (docs/FORMAT.md §3).

-- One row per profile whose level 5 is bound: the owner's MAC over the profile's tier_public_keys
-- (whose level-5 key then derives from the owner key and a device secret together).
CREATE TABLE level5_bindings (
    profile_id  TEXT NOT NULL PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    binding_mac BLOB NOT NULL CHECK (length(binding_mac) = 32)
) STRICT;

-- The device secret of level 5, wrapped once per device slot (a TPM, a FIDO2 key, a recovery
-- code, ...): the columns of key_slots, with the device secret where key_slots has the profile key.
CREATE TABLE level5_slots (
    profile_id   TEXT    NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    slot_id      INTEGER NOT NULL CHECK (slot_id >= 0),
    type         TEXT    NOT NULL,
    label        TEXT    NOT NULL,
    kdf_opslimit INTEGER,
    kdf_memlimit INTEGER,
    salt         BLOB    NOT NULL,
    nonce        BLOB    NOT NULL,
    wrapped_key  BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (profile_id, slot_id),
    CHECK ((kdf_opslimit IS NULL) = (kdf_memlimit IS NULL))
) STRICT;
