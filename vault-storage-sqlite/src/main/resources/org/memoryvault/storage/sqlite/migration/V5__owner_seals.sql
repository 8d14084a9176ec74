-- Memory Vault schema version 5: owner seals (docs/FORMAT.md §12).

-- Every owner seal: body is the exact signed statement text, public_key the owner's Ed25519 seal
-- key, signature its signature of body (UTF-8). Append-only; the highest seq is the newest.
CREATE TABLE owner_seals (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    body       TEXT    NOT NULL,
    public_key BLOB    NOT NULL CHECK (length(public_key) = 32),
    signature  BLOB    NOT NULL CHECK (length(signature) = 64)
) STRICT;

-- The tombstone digest of a seal reads only tombstoned memories.
CREATE INDEX memories_tombstoned ON memories (profile_id, id) WHERE tombstoned_at IS NOT NULL;
