-- Memory Vault schema version 2: the audit log (docs/AUDIT.md, section "Storage").
-- All times are INTEGER milliseconds since the Unix epoch (UTC). Hashes are 32-byte BLOBs.
-- Only audit_entries.entry and audit_checkpoints.note are authoritative; everything else is derived
-- from them (or is a public key) and is re-checked by `vault audit verify`.

-- One row per leaf. entry is the exact canonical JSON text (the leaf bytes, UTF-8); leaf_hash is
-- SHA-256(0x00 || entry); type, at, requester and memory_id repeat members of entry for queries.
CREATE TABLE audit_entries (
    idx       INTEGER PRIMARY KEY CHECK (idx >= 0),
    entry     TEXT    NOT NULL,
    leaf_hash BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
    type      TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    requester TEXT,
    memory_id TEXT
) STRICT;

-- Every store and recall appends an entry, so there are few indexes: listing by type and by memory,
-- and counting recent refused recalls (the anomaly rule), whose partial index only refusals enter.
-- The refusal type is written out here and in SqliteAuditStore.count.
CREATE INDEX audit_entries_by_type ON audit_entries (type, idx);
CREATE INDEX audit_entries_by_memory ON audit_entries (memory_id, idx) WHERE memory_id IS NOT NULL;
CREATE INDEX audit_entries_refused_by_time ON audit_entries (at) WHERE type = 'memory.recall.refused';

-- Hashes of the perfect subtrees whose height (level) is a multiple of 8: node idx at level L
-- covers leaves [idx * 2^L, (idx + 1) * 2^L). Written once, when the subtree completes.
CREATE TABLE audit_nodes (
    level INTEGER NOT NULL CHECK (level > 0),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- The single head row: the number of leaves and the compact range, the concatenated roots of the
-- perfect subtrees on the tree's right edge, largest first (32 bytes per set bit of size).
CREATE TABLE audit_head (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    size          INTEGER NOT NULL CHECK (size >= 0),
    compact_range BLOB    NOT NULL CHECK (length(compact_range) % 32 = 0)
) STRICT;

-- Signing key epochs: the Ed25519 public key, its C2SP key id (8 lower-case hex digits) under the
-- log's origin, and the index of the audit.key.rotate entry that revoked it.
CREATE TABLE audit_keys (
    epoch            INTEGER PRIMARY KEY CHECK (epoch >= 1),
    key_id           TEXT    NOT NULL CHECK (length(key_id) = 8),
    public_key       BLOB    NOT NULL CHECK (length(public_key) = 32),
    created_at       INTEGER NOT NULL,
    revoked_at_index INTEGER CHECK (revoked_at_index >= 0)
) STRICT;

-- Kept checkpoints: the exact C2SP signed-note text and the epoch whose key signed it.
CREATE TABLE audit_checkpoints (
    tree_size  INTEGER PRIMARY KEY CHECK (tree_size >= 0),
    epoch      INTEGER NOT NULL REFERENCES audit_keys (epoch),
    note       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
