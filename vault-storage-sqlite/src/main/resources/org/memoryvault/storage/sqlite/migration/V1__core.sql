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
-- memory_search; id is the memory's identity. search_text is the metadata flattened to text (see
-- memory_search below): the writer computes it from metadata in the INSERT, and the trigger
-- memories_search_text_update recomputes it if metadata ever changes.
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
    search_text      TEXT    NOT NULL,
    CHECK ((nonce IS NULL) = (ciphertext IS NULL)),
    CHECK ((tombstoned_at IS NULL) = (tombstone_reason IS NULL) AND (tombstoned_at IS NULL) = (tombstone_by IS NULL)),
    CHECK (shredded = 0 OR (tombstoned_at IS NOT NULL AND ciphertext IS NULL))
) STRICT;

-- Every index is written by every store, so there are few: list (newest first) walks
-- memories_by_created, also when it filters on a level; the level-0 purge has a partial index that
-- only ephemeral memories enter.
CREATE INDEX memories_by_created ON memories (created_at, seq);
CREATE INDEX memories_ephemeral_by_created ON memories (created_at) WHERE classification = 0;

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

-- Full-text index over metadata: one row per memory (rowid = memories.seq) over the row's
-- search_text, the metadata's object keys and string values as plain text. External content (the
-- text lives once, in memories) and no per-row size table (bm25 tokenizes the matched rows'
-- text instead): a store writes fewer pages.
--
-- The writer of a memories row indexes it itself, with a plain INSERT into memory_search in the
-- same transaction, not through an AFTER INSERT trigger: an INSERT that fires a trigger runs in a
-- statement savepoint, and FTS5 writes its pending terms to disk at every savepoint, so a batch of
-- N stores in one transaction would write N one-row segments and then merge them. The triggers
-- below keep the index in sync on delete and on a change of metadata.
CREATE VIRTUAL TABLE memory_search USING fts5 (search_text, content = 'memories', content_rowid = 'seq',
                                               columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO memory_search (memory_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER memories_search_text_update AFTER UPDATE OF metadata ON memories BEGIN
    UPDATE memories SET search_text = (
        SELECT coalesce(group_concat(piece, ' '), '')
        FROM (SELECT CASE
                         WHEN typeof(key) = 'text' AND type = 'text' THEN key || ' ' || atom
                         WHEN typeof(key) = 'text' THEN key
                         WHEN type = 'text' THEN atom
                     END AS piece
              FROM json_tree(new.metadata)))
    WHERE seq = new.seq;
END;

CREATE TRIGGER memories_index_update AFTER UPDATE OF search_text ON memories BEGIN
    INSERT INTO memory_search (memory_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO memory_search (rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE TRIGGER memories_index_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memory_search (memory_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;

-- Full-text index over recall justifications: external content (the text lives once, in recalls).
CREATE VIRTUAL TABLE recall_search USING fts5 (justification, content = 'recalls', content_rowid = 'id',
                                               columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO recall_search (recall_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER recalls_index_insert AFTER INSERT ON recalls BEGIN
    INSERT INTO recall_search (rowid, justification) VALUES (new.id, new.justification);
END;

CREATE TRIGGER recalls_index_delete AFTER DELETE ON recalls BEGIN
    INSERT INTO recall_search (recall_search, rowid, justification) VALUES ('delete', old.id, old.justification);
END;
