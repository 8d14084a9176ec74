package org.memoryvault.storage.sqlite;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.IntentLinkRepository;

/**
 * IntentLog links in the {@code intent_links} table (schema 7). A prefix search compares
 * {@code substr(intent, 1, length(prefix))} with the prefix, so {@code %}, {@code _}, {@code *}
 * and quotes in it are plain characters (no LIKE, no FTS syntax).
 */
final class SqliteIntentLinkRepository implements IntentLinkRepository {
    private final SqliteDatabase db;

    SqliteIntentLinkRepository(SqliteDatabase db) { this.db = Objects.requireNonNull(db, "db"); }

    @Override
    public boolean link(MemoryId memory, String intent, Instant at, String by) {
        return db.write("link memory " + memory, h -> h.createUpdate("INSERT INTO intent_links (memory_id, intent, linked_at, linked_by)"
                        + " VALUES (:memory, :intent, :at, :by) ON CONFLICT (memory_id, intent) DO NOTHING")
                .bind("memory", memory.toString()).bind("intent", intent).bind("at", at.toEpochMilli()).bind("by", by).execute() == 1);
    }

    @Override
    public boolean unlink(MemoryId memory, String intent) {
        return db.write("unlink memory " + memory, h -> h.createUpdate("DELETE FROM intent_links WHERE memory_id = :memory AND intent = :intent")
                .bind("memory", memory.toString()).bind("intent", intent).execute() == 1);
    }

    @Override
    public List<String> linksOf(MemoryId memory) {
        return db.read("links of memory " + memory, h -> h.createQuery("SELECT intent FROM intent_links WHERE memory_id = :memory"
                        + " ORDER BY linked_at, intent").bind("memory", memory.toString()).mapTo(String.class).list());
    }

    @Override
    public List<MemoryId> search(String prefix, int limit) {
        return db.read("search intents", h -> h.createQuery("SELECT m.id FROM memories m WHERE m.id IN ("
                        + " SELECT memory_id FROM intent_links WHERE substr(intent, 1, length(:prefix)) = :prefix"
                        + " UNION SELECT m2.id FROM memories m2, json_each(m2.intent_refs) r"
                        + " WHERE r.type = 'text' AND substr(r.value, 1, length(:prefix)) = :prefix)"
                        + " ORDER BY m.created_at DESC, m.seq DESC LIMIT :limit")
                .bind("prefix", prefix).bind("limit", limit).mapTo(String.class).list()).stream().map(MemoryId::parse).toList();
    }
}
