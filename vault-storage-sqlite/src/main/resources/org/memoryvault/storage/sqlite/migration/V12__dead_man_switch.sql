-- Memory Vault schema version 12: the dead-man switch, its heirs and their packages (docs/FORMAT.md §9, docs/RECOVERY.md).

-- One row while it is armed: the deadline (ms), the interval, the memories (ids, space separated) and why.
CREATE TABLE dms_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    armed_at      INTEGER NOT NULL,
    interval_ms   INTEGER NOT NULL CHECK (interval_ms > 0),
    deadline      INTEGER NOT NULL,
    memories      TEXT    NOT NULL,
    justification TEXT    NOT NULL,
    last_checkin  INTEGER NOT NULL,
    prepared_at   INTEGER NOT NULL,
    signature     TEXT    NOT NULL
) STRICT;

-- The heirs, each with its package: a standard age file to its recipient (NULL until prepared).
CREATE TABLE dms_heirs (
    name      TEXT    PRIMARY KEY NOT NULL,
    recipient TEXT    NOT NULL,
    added_at  INTEGER NOT NULL,
    signature TEXT    NOT NULL,
    package   BLOB
) STRICT, WITHOUT ROWID;

-- Incremental backups (schema 10) carry every change of these tables too.
CREATE TRIGGER changes_dms_state_insert AFTER INSERT ON dms_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_state', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_dms_state_update AFTER UPDATE ON dms_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'dms_state', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_state', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_dms_state_delete AFTER DELETE ON dms_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_state', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_dms_heirs_insert AFTER INSERT ON dms_heirs BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_heirs', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_dms_heirs_update AFTER UPDATE ON dms_heirs BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'dms_heirs', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.name IS NOT NEW.name ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_heirs', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_dms_heirs_delete AFTER DELETE ON dms_heirs BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('dms_heirs', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
