package org.memoryvault.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.memoryvault.domain.port.AuditStore;

/** An in-memory {@link AuditStore} for unit tests; the SQLite adapter is tested against the same API in AuditTamperTest. */
final class InMemoryAuditStore implements AuditStore {
    final TreeMap<Long, Entry> entries = new TreeMap<>();
    final TreeMap<String, Node> nodes = new TreeMap<>();
    final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
    final TreeMap<Integer, SigningKey> keys = new TreeMap<>();
    Head head = Head.EMPTY;

    @Override public synchronized Head head() { return head; }

    @Override
    public synchronized void append(Entry entry, Head newHead, List<Node> completed) {
        if (entry.index() != head.size() || newHead.size() != head.size() + 1) throw new IllegalStateException("append out of order");
        entries.put(entry.index(), entry);
        for (Node n : completed) nodes.put(key(n.level(), n.index()), n);
        head = newHead;
    }

    @Override
    public synchronized void appendAll(List<Entry> batch, Head newHead, List<Node> completed) {
        long next = head.size();
        for (Entry e : batch) {
            if (e.index() != next++) throw new IllegalStateException("append out of order");
        }
        if (newHead.size() != next) throw new IllegalStateException("head does not match the batch");
        for (Entry e : batch) entries.put(e.index(), e);
        for (Node n : completed) nodes.put(key(n.level(), n.index()), n);
        head = newHead;
    }

    @Override
    public synchronized List<Entry> entries(long fromIndex, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.tailMap(fromIndex, true).values()) {
            if (out.size() >= limit) break;
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized List<String> leafHashes(long fromIndex, long toIndex) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries.subMap(fromIndex, true, toIndex, false).values()) out.add(e.leafHash());
        return out;
    }

    @Override
    public synchronized List<Node> nodes(int level, long fromIndex, long toIndex) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes.subMap(key(level, fromIndex), true, key(level, toIndex), false).values()) out.add(n);
        return out;
    }

    @Override
    public synchronized List<Entry> find(Optional<String> memoryId, Optional<String> type, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.descendingMap().values()) {
            if (out.size() >= limit) break;
            if (memoryId.isPresent() && !memoryId.equals(e.memoryId())) continue;
            if (type.isPresent() && !type.get().equals(e.type())) continue;
            out.add(0, e);
        }
        return out;
    }

    @Override
    public synchronized long count(String type, Optional<String> requester, Instant since) {
        return entries.values().stream().filter(e -> e.type().equals(type) && !e.at().isBefore(since)
                && (requester.isEmpty() || requester.equals(e.requester()))).count();
    }

    @Override
    public synchronized void addCheckpoint(Checkpoint checkpoint) {
        if (checkpoints.putIfAbsent(checkpoint.treeSize(), checkpoint) != null) throw new IllegalStateException("duplicate checkpoint");
    }

    @Override
    public synchronized Optional<Checkpoint> latestCheckpoint() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.lastEntry().getValue());
    }

    @Override
    public synchronized List<Checkpoint> checkpoints(long afterTreeSize, int limit) {
        List<Checkpoint> out = new ArrayList<>();
        for (Checkpoint c : checkpoints.tailMap(afterTreeSize, false).values()) {
            if (out.size() >= limit) break;
            out.add(c);
        }
        return out;
    }

    @Override public synchronized List<SigningKey> keys() { return new ArrayList<>(keys.values()); }

    @Override public synchronized void addKey(SigningKey key) { keys.put(key.epoch(), key); }

    @Override
    public synchronized void revokeKey(int epoch, long atIndex) {
        SigningKey k = keys.get(epoch);
        keys.put(epoch, new SigningKey(k.epoch(), k.keyId(), k.publicKey(), k.createdAt(), OptionalLong.of(atIndex)));
    }

    /** Sort key that orders nodes by level, then index. */
    private static String key(int level, long index) { return String.format("%02d:%019d", level, index); }

    Map<Long, Entry> entryMap() { return entries; }
}
