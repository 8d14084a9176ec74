-- Memory Vault schema version 4: key tiers and agent principals (docs/FORMAT.md §3, §4, §10, §11).

-- A profile's public tier locks: the X25519 public keys of levels 3, 4 and 5 (96 bytes; NULL for
-- a profile from before key tiers), and, for a profile without an owner passphrase, the owner key
-- sealed under the level-2 tier key (72 bytes).
ALTER TABLE profiles ADD COLUMN tier_public_keys BLOB CHECK (tier_public_keys IS NULL OR length(tier_public_keys) = 96);
ALTER TABLE profiles ADD COLUMN owner_escrow BLOB CHECK (owner_escrow IS NULL OR length(owner_escrow) = 72);

-- A memory's content key, wrapped for its level's tier: 72 bytes (levels 0-2) or 80 (levels 3-5);
-- NULL for a memory of format 1 and after a shred.
ALTER TABLE memories ADD COLUMN wrapped_key BLOB;

-- The content key the owner released to the requesting principal when approving (80 bytes).
ALTER TABLE approvals ADD COLUMN released_key BLOB;

-- Agent principals. The credential is never stored: credential_id is a keyed hash of it,
-- box_public_key the X25519 key approvals are sealed to, wrapped_key the tier key of the
-- principal's clearance (at most level 2) wrapped under a key derived from the credential;
-- owner_mac authenticates the row under a key only the owner key derives (approvals check it).
-- rate_* is the optional limit; window_* its current fixed window.
CREATE TABLE principals (
    name                TEXT    NOT NULL PRIMARY KEY,
    profile_id          TEXT    NOT NULL REFERENCES profiles (id),
    clearance           INTEGER NOT NULL CHECK (clearance BETWEEN 0 AND 5),
    key_version         INTEGER NOT NULL CHECK (key_version >= 1),
    credential_id       TEXT    NOT NULL UNIQUE CHECK (length(credential_id) = 64),
    box_public_key      BLOB    NOT NULL CHECK (length(box_public_key) = 32),
    wrapped_key         BLOB    NOT NULL CHECK (length(wrapped_key) = 72),
    owner_mac           BLOB    NOT NULL CHECK (length(owner_mac) = 32),
    rate_count          INTEGER CHECK (rate_count IS NULL OR rate_count >= 1),
    rate_window_seconds INTEGER CHECK (rate_window_seconds IS NULL OR rate_window_seconds >= 1),
    window_start        INTEGER,
    window_used         INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    CHECK ((rate_count IS NULL) = (rate_window_seconds IS NULL))
) STRICT;
