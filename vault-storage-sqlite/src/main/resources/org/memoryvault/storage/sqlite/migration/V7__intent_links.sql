-- Memory Vault schema version 7: IntentLog links (docs/FORMAT.md §9).

-- Links made after a memory was stored (the references given at store time stay in
-- memories.intent_refs, fixed): many-to-many, one row per memory and intent.
CREATE TABLE intent_links (
    memory_id  TEXT    NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
    intent     TEXT    NOT NULL CHECK (length(intent) BETWEEN 1 AND 256),
    linked_at  INTEGER NOT NULL,
    linked_by  TEXT    NOT NULL,
    PRIMARY KEY (memory_id, intent)
) STRICT, WITHOUT ROWID;

CREATE INDEX intent_links_by_intent ON intent_links (intent);
