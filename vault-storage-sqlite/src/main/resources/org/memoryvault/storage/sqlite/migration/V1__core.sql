-- Memory Vault schema version 1: key profiles, memories, recalls, vault state and the full-text
-- indexes. Documented column by column in docs/FORMAT.md, section "SQLite tables".
-- All times are INTEGER milliseconds since the Unix epoch (UTC) unless said otherwise.

CREATE TABLE profiles (
    id          TEXT    NOT NULL PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    key_version INTEGER NOT NULL CHECK (key_version >= 1)
) STRICT;

CREATE TABLE key_slots (
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

-- seq is the stable row number (an INTEGER PRIMARY KEY survives VACUUM) that links the row to
-- memory_search; id is the memory's identity.
CREATE TABLE memories (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE CHECK (length(id) = 36),
    created_at       INTEGER NOT NULL,
    created_by       TEXT    NOT NULL,
    classification   INTEGER NOT NULL CHECK (classification BETWEEN 0 AND 5),
    profile_id       TEXT    NOT NULL REFERENCES profiles (id),
    key_version      INTEGER NOT NULL CHECK (key_version >= 1),
    cooldown_seconds INTEGER NOT NULL DEFAULT 0 CHECK (cooldown_seconds >= 0),
    -- The domain's Metadata guarantees the braces, so valid JSON here is a JSON object.
    metadata         TEXT    NOT NULL CONSTRAINT metadata_is_json CHECK (json_valid(metadata)),
    intent_refs      TEXT    NOT NULL DEFAULT '[]',
    commitment       TEXT    NOT NULL CHECK (length(commitment) = 64),
    nonce            BLOB,
    ciphertext       BLOB,
    tombstoned_at    INTEGER,
    tombstone_reason TEXT,
    tombstone_by     TEXT,
    shredded         INTEGER NOT NULL DEFAULT 0 CHECK (shredded IN (0, 1)),
    last_recalled_at INTEGER,
    CHECK ((nonce IS NULL) = (ciphertext IS NULL)),
    CHECK ((tombstoned_at IS NULL) = (tombstone_reason IS NULL) AND (tombstoned_at IS NULL) = (tombstone_by IS NULL)),
    CHECK (shredded = 0 OR (tombstoned_at IS NOT NULL AND ciphertext IS NULL))
) STRICT;

CREATE INDEX memories_by_created ON memories (created_at, seq);
CREATE INDEX memories_by_level_created ON memories (classification, created_at, seq);

CREATE TABLE recalls (
    id            INTEGER PRIMARY KEY,
    memory_id     TEXT    NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    requester     TEXT    NOT NULL,
    justification TEXT    NOT NULL
) STRICT;

CREATE INDEX recalls_by_memory ON recalls (memory_id, at);

CREATE TABLE vault_state (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Full-text index over metadata: one row per memory (rowid = memories.seq), holding the metadata's
-- object keys and string values as plain text. Kept in sync by the triggers below.
CREATE VIRTUAL TABLE memory_search USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO memory_search (memory_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER memories_index_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memory_search (rowid, body)
    SELECT new.seq, coalesce(group_concat(piece, ' '), '')
    FROM (SELECT CASE
                     WHEN typeof(key) = 'text' AND type = 'text' THEN key || ' ' || atom
                     WHEN typeof(key) = 'text' THEN key
                     WHEN type = 'text' THEN atom
                 END AS piece
          FROM json_tree(new.metadata));
END;

CREATE TRIGGER memories_index_update AFTER UPDATE OF metadata ON memories BEGIN
    DELETE FROM memory_search WHERE rowid = old.seq;
    INSERT INTO memory_search (rowid, body)
    SELECT new.seq, coalesce(group_concat(piece, ' '), '')
    FROM (SELECT CASE
                     WHEN typeof(key) = 'text' AND type = 'text' THEN key || ' ' || atom
                     WHEN typeof(key) = 'text' THEN key
                     WHEN type = 'text' THEN atom
                 END AS piece
          FROM json_tree(new.metadata));
END;

CREATE TRIGGER memories_index_delete AFTER DELETE ON memories BEGIN
    DELETE FROM memory_search WHERE rowid = old.seq;
END;

-- Full-text index over recall justifications: external content (the text lives once, in recalls).
CREATE VIRTUAL TABLE recall_search USING fts5 (justification, content = 'recalls', content_rowid = 'id',
                                               tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO recall_search (recall_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER recalls_index_insert AFTER INSERT ON recalls BEGIN
    INSERT INTO recall_search (rowid, justification) VALUES (new.id, new.justification);
END;

CREATE TRIGGER recalls_index_delete AFTER DELETE ON recalls BEGIN
    INSERT INTO recall_search (recall_search, rowid, justification) VALUES ('delete', old.id, old.justification);
END;
