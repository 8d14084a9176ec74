-- Memory Vault schema version 11: Shamir escrows of owner keys (docs/FORMAT.md §9, §15).

-- One row per escrow: whose keys, at which key version, k of n, and the commitment to the secret.
CREATE TABLE escrows (
    id                TEXT    PRIMARY KEY NOT NULL,
    profile_id        TEXT    NOT NULL REFERENCES profiles (id),
    key_version       INTEGER NOT NULL CHECK (key_version >= 1),
    threshold         INTEGER NOT NULL CHECK (threshold BETWEEN 2 AND 255),
    secret_commitment TEXT    NOT NULL CHECK (length(secret_commitment) = 64),
    created_at        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One row per share: its holder, the holder's age recipient, the SHA-256 of the share document and
-- the document age-encrypted to the holder (the vault cannot read it).
CREATE TABLE escrow_shares (
    escrow_id  TEXT    NOT NULL REFERENCES escrows (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL CHECK (idx BETWEEN 1 AND 255),
    holder     TEXT    NOT NULL,
    recipient  TEXT    NOT NULL,
    digest     TEXT    NOT NULL CHECK (length(digest) = 64),
    age_file   BLOB    NOT NULL,
    PRIMARY KEY (escrow_id, idx),
    UNIQUE (escrow_id, holder)
) STRICT, WITHOUT ROWID;

-- Incremental backups (schema 10) carry every change of these tables too.
CREATE TRIGGER changes_escrows_insert AFTER INSERT ON escrows BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrows', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_escrows_update AFTER UPDATE ON escrows BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'escrows', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrows', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_escrows_delete AFTER DELETE ON escrows BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrows', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_escrow_shares_insert AFTER INSERT ON escrow_shares BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrow_shares', NEW.escrow_id, NEW.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_escrow_shares_update AFTER UPDATE ON escrow_shares BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'escrow_shares', OLD.escrow_id, OLD.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.escrow_id IS NOT NEW.escrow_id OR OLD.idx IS NOT NEW.idx ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrow_shares', NEW.escrow_id, NEW.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_escrow_shares_delete AFTER DELETE ON escrow_shares BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('escrow_shares', OLD.escrow_id, OLD.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
