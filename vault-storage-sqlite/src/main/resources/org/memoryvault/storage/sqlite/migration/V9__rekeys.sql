-- Memory Vault schema version 9: re-keying a profile (docs/FORMAT.md §3, "Re-keying").

-- One row per profile being re-keyed: the new level 0-2 tier key, sealed under a key only the
-- profile's owner key derives, and the key version it is for. It exists from the start of a
-- re-key to its last transaction, so a re-key killed midway is finished by running it again.
CREATE TABLE rekeys (
    profile_id  TEXT    NOT NULL PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    key_version INTEGER NOT NULL CHECK (key_version >= 2),
    sealed_key  BLOB    NOT NULL,
    started_at  INTEGER NOT NULL
) STRICT;
