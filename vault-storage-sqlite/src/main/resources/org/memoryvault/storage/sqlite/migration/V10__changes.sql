-- Memory Vault schema version 10: the change sequence incremental backups read (docs/FORMAT.md §9
-- "changes", §14 "Incremental backups").

-- One row per row key of a table a backup carries, with the sequence number of the last insert,
-- update or delete of that key. The sequence only grows (each change takes the largest + 1), so
-- an incremental backup carries every key changed after its parent's sequence: the row if it
-- exists, a deletion if not. k2 is '' for a table with a one-column key.
CREATE TABLE changes (
    tbl TEXT    NOT NULL,
    k1  ANY     NOT NULL,
    k2  ANY     NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    PRIMARY KEY (tbl, k1, k2)
) STRICT, WITHOUT ROWID;
CREATE INDEX changes_by_seq ON changes (seq);

-- The newest backup this database made or was restored from: an incremental names it as its
-- parent (by the SHA-256 of its file) and carries the changes after its sequence. The owner
-- signs the row (docs/FORMAT.md §14), so an edit is caught when the next incremental is made.
CREATE TABLE backup_chain (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    backup_id   TEXT    NOT NULL,
    sha256      BLOB    NOT NULL CHECK (length(sha256) = 32),
    change_seq  INTEGER NOT NULL CHECK (change_seq >= 0),
    signature   BLOB    NOT NULL CHECK (length(signature) = 64),
    at          INTEGER NOT NULL
) STRICT;

-- Every key of a row already here, so the sequence covers rows older than this version too.

INSERT INTO changes (tbl, k1, k2, seq) SELECT 'vault_state', key, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM vault_state WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'profiles', id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM profiles WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'key_slots', profile_id, slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM key_slots WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'level5_bindings', profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM level5_bindings WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'level5_slots', profile_id, slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM level5_slots WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'memories', seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM memories WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'recalls', id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM recalls WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'intent_links', memory_id, intent, (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM intent_links WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'principals', name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM principals WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'approvals', id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM approvals WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'tokens', name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM tokens WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_keys', epoch, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM audit_keys WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_entries', idx, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM audit_entries WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_nodes', level, idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM audit_nodes WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_head', id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM audit_head WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_checkpoints', tree_size, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM audit_checkpoints WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'owner_seals', seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM owner_seals WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
INSERT INTO changes (tbl, k1, k2, seq) SELECT 'rekeys', profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) FROM rekeys WHERE true ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;

CREATE TRIGGER changes_vault_state_insert AFTER INSERT ON vault_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('vault_state', NEW.key, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_vault_state_update AFTER UPDATE ON vault_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'vault_state', OLD.key, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.key IS NOT NEW.key OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('vault_state', NEW.key, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_vault_state_delete AFTER DELETE ON vault_state BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('vault_state', OLD.key, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_profiles_insert AFTER INSERT ON profiles BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('profiles', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_profiles_update AFTER UPDATE ON profiles BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'profiles', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('profiles', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_profiles_delete AFTER DELETE ON profiles BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('profiles', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_key_slots_insert AFTER INSERT ON key_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('key_slots', NEW.profile_id, NEW.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_key_slots_update AFTER UPDATE ON key_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'key_slots', OLD.profile_id, OLD.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.profile_id IS NOT NEW.profile_id OR OLD.slot_id IS NOT NEW.slot_id ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('key_slots', NEW.profile_id, NEW.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_key_slots_delete AFTER DELETE ON key_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('key_slots', OLD.profile_id, OLD.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_bindings_insert AFTER INSERT ON level5_bindings BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_bindings', NEW.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_bindings_update AFTER UPDATE ON level5_bindings BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'level5_bindings', OLD.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.profile_id IS NOT NEW.profile_id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_bindings', NEW.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_bindings_delete AFTER DELETE ON level5_bindings BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_bindings', OLD.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_slots_insert AFTER INSERT ON level5_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_slots', NEW.profile_id, NEW.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_slots_update AFTER UPDATE ON level5_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'level5_slots', OLD.profile_id, OLD.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.profile_id IS NOT NEW.profile_id OR OLD.slot_id IS NOT NEW.slot_id ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_slots', NEW.profile_id, NEW.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_level5_slots_delete AFTER DELETE ON level5_slots BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('level5_slots', OLD.profile_id, OLD.slot_id, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_memories_insert AFTER INSERT ON memories BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('memories', NEW.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_memories_update AFTER UPDATE ON memories BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'memories', OLD.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.seq IS NOT NEW.seq OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('memories', NEW.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_memories_delete AFTER DELETE ON memories BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('memories', OLD.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_recalls_insert AFTER INSERT ON recalls BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('recalls', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_recalls_update AFTER UPDATE ON recalls BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'recalls', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('recalls', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_recalls_delete AFTER DELETE ON recalls BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('recalls', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_intent_links_insert AFTER INSERT ON intent_links BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('intent_links', NEW.memory_id, NEW.intent, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_intent_links_update AFTER UPDATE ON intent_links BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'intent_links', OLD.memory_id, OLD.intent, (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.memory_id IS NOT NEW.memory_id OR OLD.intent IS NOT NEW.intent ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('intent_links', NEW.memory_id, NEW.intent, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_intent_links_delete AFTER DELETE ON intent_links BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('intent_links', OLD.memory_id, OLD.intent, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_principals_insert AFTER INSERT ON principals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('principals', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_principals_update AFTER UPDATE ON principals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'principals', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.name IS NOT NEW.name OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('principals', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_principals_delete AFTER DELETE ON principals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('principals', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_approvals_insert AFTER INSERT ON approvals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('approvals', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_approvals_update AFTER UPDATE ON approvals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'approvals', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('approvals', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_approvals_delete AFTER DELETE ON approvals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('approvals', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_tokens_insert AFTER INSERT ON tokens BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('tokens', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_tokens_update AFTER UPDATE ON tokens BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'tokens', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.name IS NOT NEW.name OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('tokens', NEW.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_tokens_delete AFTER DELETE ON tokens BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('tokens', OLD.name, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_keys_insert AFTER INSERT ON audit_keys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_keys', NEW.epoch, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_keys_update AFTER UPDATE ON audit_keys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_keys', OLD.epoch, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.epoch IS NOT NEW.epoch OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_keys', NEW.epoch, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_keys_delete AFTER DELETE ON audit_keys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_keys', OLD.epoch, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_entries_insert AFTER INSERT ON audit_entries BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_entries', NEW.idx, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_entries_update AFTER UPDATE ON audit_entries BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_entries', OLD.idx, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.idx IS NOT NEW.idx OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_entries', NEW.idx, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_entries_delete AFTER DELETE ON audit_entries BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_entries', OLD.idx, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_nodes_insert AFTER INSERT ON audit_nodes BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_nodes', NEW.level, NEW.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_nodes_update AFTER UPDATE ON audit_nodes BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_nodes', OLD.level, OLD.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.level IS NOT NEW.level OR OLD.idx IS NOT NEW.idx ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_nodes', NEW.level, NEW.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_nodes_delete AFTER DELETE ON audit_nodes BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_nodes', OLD.level, OLD.idx, (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_head_insert AFTER INSERT ON audit_head BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_head', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_head_update AFTER UPDATE ON audit_head BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_head', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.id IS NOT NEW.id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_head', NEW.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_head_delete AFTER DELETE ON audit_head BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_head', OLD.id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_checkpoints_insert AFTER INSERT ON audit_checkpoints BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_checkpoints', NEW.tree_size, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_checkpoints_update AFTER UPDATE ON audit_checkpoints BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'audit_checkpoints', OLD.tree_size, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.tree_size IS NOT NEW.tree_size OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_checkpoints', NEW.tree_size, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_audit_checkpoints_delete AFTER DELETE ON audit_checkpoints BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('audit_checkpoints', OLD.tree_size, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_owner_seals_insert AFTER INSERT ON owner_seals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('owner_seals', NEW.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_owner_seals_update AFTER UPDATE ON owner_seals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'owner_seals', OLD.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.seq IS NOT NEW.seq OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('owner_seals', NEW.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_owner_seals_delete AFTER DELETE ON owner_seals BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('owner_seals', OLD.seq, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_rekeys_insert AFTER INSERT ON rekeys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('rekeys', NEW.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_rekeys_update AFTER UPDATE ON rekeys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) SELECT 'rekeys', OLD.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes) WHERE OLD.profile_id IS NOT NEW.profile_id OR '' IS NOT '' ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('rekeys', NEW.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER changes_rekeys_delete AFTER DELETE ON rekeys BEGIN
    INSERT INTO changes (tbl, k1, k2, seq) VALUES ('rekeys', OLD.profile_id, '', (SELECT coalesce(max(seq), 0) + 1 FROM changes)) ON CONFLICT (tbl, k1, k2) DO UPDATE SET seq = excluded.seq;
END;
