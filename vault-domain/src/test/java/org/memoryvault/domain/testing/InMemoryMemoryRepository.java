package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.model.MemoryFilter;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;

/**
 * A {@link MemoryRepository} in a map. Search mimics a full-text index with a letters-and-digits
 * tokenizer: every query term must be the prefix of some word of the metadata (or, when asked,
 * of a recall justification); tombstoned memories never match. Hits come newest first.
 * Takes part in {@link InMemoryTransactions}.
 */
public final class InMemoryMemoryRepository implements MemoryRepository, InMemoryTransactions.Participant {
    public static final String MATCHED_METADATA = "metadata";
    public static final String MATCHED_JUSTIFICATION = "justification";

    private final Map<MemoryId, Memory> memories = new LinkedHashMap<>();
    private final Map<MemoryId, List<String>> justifications = new LinkedHashMap<>();

    @Override
    public synchronized void insert(Memory memory) {
        Objects.requireNonNull(memory, "memory");
        if (memories.containsKey(memory.id())) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "a memory with id " + memory.id() + " exists", null);
        }
        memories.put(memory.id(), memory);
    }

    @Override
    public synchronized Optional<Memory> find(MemoryId id) { return Optional.ofNullable(memories.get(id)); }

    @Override
    public synchronized List<Memory> list(MemoryFilter filter) {
        return memories.values().stream()
                .filter(m -> filter.classification().map(c -> c == m.classification()).orElse(true))
                .filter(m -> filter.includeTombstoned() || !m.isTombstoned())
                .sorted(Comparator.comparing(Memory::createdAt).reversed())
                .limit(filter.limit())
                .toList();
    }

    @Override
    public synchronized List<SearchHit> search(SearchQuery query) {
        List<SearchHit> hits = new ArrayList<>();
        List<Memory> newestFirst = memories.values().stream()
                .filter(m -> !m.isTombstoned())
                .sorted(Comparator.comparing(Memory::createdAt).reversed())
                .toList();
        for (Memory m : newestFirst) {
            if (hits.size() >= query.limit()) break;
            if (matchesAll(query.terms(), m.metadata().json())) {
                hits.add(new SearchHit(m.id(), MATCHED_METADATA, m.metadata().json()));
                continue;
            }
            if (!query.includeJustifications()) continue;
            for (String j : justifications.getOrDefault(m.id(), List.of())) {
                if (matchesAll(query.terms(), j)) {
                    hits.add(new SearchHit(m.id(), MATCHED_JUSTIFICATION, j));
                    break;
                }
            }
        }
        return hits;
    }

    private static boolean matchesAll(List<String> terms, String text) {
        List<String> words = words(text);
        return terms.stream().allMatch(t -> words.stream().anyMatch(w -> w.startsWith(t)));
    }

    /** The runs of letters and digits of {@code text}, lower-cased: the tokens a full-text index would keep. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                current.appendCodePoint(cp);
            } else if (current.length() > 0) {
                words.add(current.toString().toLowerCase(Locale.ROOT));
                current.setLength(0);
            }
        });
        if (current.length() > 0) words.add(current.toString().toLowerCase(Locale.ROOT));
        return words;
    }

    @Override
    public synchronized boolean recordRecall(MemoryId id, Instant at, String requester, String justification) {
        Memory m = existing(id);
        if (m.isTombstoned()) return false;
        if (m.lastRecalledAt().isPresent() && !m.policy().cooldown().length().isZero()
                && !m.policy().cooldown().permitsRecall(m.lastRecalledAt().get(), at)) return false;
        memories.put(id, m.withLastRecall(m.lastRecalledAt().filter(last -> last.isAfter(at)).orElse(at)));
        justifications.computeIfAbsent(id, k -> new ArrayList<>()).add(justification);
        return true;
    }

    @Override
    public synchronized void reseal(MemoryId id, org.memoryvault.domain.model.SealedContent sealed,
                                    org.memoryvault.domain.model.ContentCommitment commitment) {
        Memory m = existing(id);
        memories.put(id, new Memory(m.id(), m.createdAt(), m.createdBy(), m.classification(), m.profile(), m.keyVersion(),
                m.policy(), m.metadata(), m.intentRefs(), commitment, java.util.Optional.of(sealed), m.tombstone(),
                m.lastRecalledAt()));
    }

    @Override
    public synchronized boolean rekey(MemoryId id, int fromVersion, int keyVersion, org.memoryvault.domain.model.SealedContent sealed,
                                      org.memoryvault.domain.model.ContentCommitment commitment) {
        Memory m = memories.get(id);
        if (m == null || m.keyVersion() != fromVersion || m.sealed().isEmpty()) return false;
        memories.put(id, new Memory(m.id(), m.createdAt(), m.createdBy(), m.classification(), m.profile(), keyVersion,
                m.policy(), m.metadata(), m.intentRefs(), commitment, java.util.Optional.of(sealed), m.tombstone(),
                m.lastRecalledAt()));
        return true;
    }

    @Override
    public synchronized void tombstone(MemoryId id, Tombstone tombstone) {
        memories.put(id, existing(id).withTombstone(tombstone));
    }

    @Override
    public synchronized List<MemoryId> purgeEphemeral(Instant cutoff) {
        List<MemoryId> purged = memories.values().stream()
                .filter(m -> m.classification() == Classification.EPHEMERAL && m.createdAt().isBefore(cutoff))
                .map(Memory::id)
                .toList();
        for (MemoryId id : purged) {
            memories.remove(id);
            justifications.remove(id);
        }
        return purged;
    }

    @Override
    public synchronized long count() { return memories.size(); }

    @Override
    public synchronized List<Memory> page(Optional<MemoryId> after, int limit) {
        return memories.values().stream()
                .filter(m -> after.isEmpty() || m.id().toString().compareTo(after.get().toString()) > 0)
                .sorted(java.util.Comparator.comparing(m -> m.id().toString()))
                .limit(limit).toList();
    }

    /**
     * Overwrites a stored row as an attacker with write access to the database would (bypassing
     * every rule), for tamper tests: the next read returns {@code edited}.
     */
    public synchronized void tamper(Memory edited) {
        existing(edited.id());
        memories.put(edited.id(), edited);
    }

    /** The justifications recorded for a memory's granted recalls, oldest first. */
    public synchronized List<String> justificationsOf(MemoryId id) {
        return List.copyOf(justifications.getOrDefault(id, List.of()));
    }

    private Memory existing(MemoryId id) {
        Memory m = memories.get(id);
        if (m == null) throw new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + id);
        return m;
    }

    @Override
    public synchronized Runnable snapshot() {
        Map<MemoryId, Memory> savedMemories = new LinkedHashMap<>(memories);
        Map<MemoryId, List<String>> savedJustifications = new LinkedHashMap<>();
        justifications.forEach((k, v) -> savedJustifications.put(k, List.copyOf(v)));
        return () -> {
            synchronized (this) {
                memories.clear();
                memories.putAll(savedMemories);
                justifications.clear();
                savedJustifications.forEach((k, v) -> justifications.put(k, new ArrayList<>(v)));
            }
        };
    }
}
