package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.IntentLinkRepository;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * IntentLog links (docs/FORMAT.md §9): many-to-many between memories and intent ids. The references
 * given at store time stay with the memory; links made later are added and removed here, each with
 * an audit entry, by a requester whose clearance reaches the memory's level (an agent does not
 * relabel what it cannot read), not in lockdown and not on a tombstoned memory. Reading links, like
 * all metadata, has no gate.
 */
public final class IntentLinks {
    /** An intent id: 1-256 characters, no control characters. */
    public static final int MAX_INTENT = 256;

    private final IntentLinkRepository links;
    private final MemoryRepository memories;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public IntentLinks(IntentLinkRepository links, MemoryRepository memories, VaultStateRepository state, AuditLog audit, Transactions tx,
                       Clock clock) {
        this.links = Objects.requireNonNull(links, "links");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Links {@code intent} to the memory: true if it was new (an existing link changes nothing and is not audited again). */
    public boolean link(MemoryId id, String intent, Requester requester) {
        requireIntent(intent);
        return tx.inTransaction(() -> {
            Memory m = writable(id, requester, "linking");
            if (m.intentRefs().contains(intent)) return false;
            if (!links.link(id, intent, clock.instant(), requester.name())) return false;
            audit.append(AuditEvent.of(AuditEvent.INTENT_LINK, clock.instant()).with("memory_id", id.toString()).with("intent", intent)
                    .with("by", requester.name()));
            return true;
        });
    }

    /** Removes a link made after the store: true if there was one. References given at store time cannot be removed. */
    public boolean unlink(MemoryId id, String intent, Requester requester) {
        requireIntent(intent);
        return tx.inTransaction(() -> {
            Memory m = writable(id, requester, "unlinking");
            if (m.intentRefs().contains(intent)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "intent " + intent + " was given when memory " + id
                        + " was stored; such references are part of the memory and stay");
            }
            if (!links.unlink(id, intent)) return false;
            audit.append(AuditEvent.of(AuditEvent.INTENT_UNLINK, clock.instant()).with("memory_id", id.toString()).with("intent", intent)
                    .with("by", requester.name()));
            return true;
        });
    }

    /** The memory's intents: those given at store time, then those linked later. */
    public List<String> get(MemoryId id) {
        Memory m = find(id);
        LinkedHashSet<String> all = new LinkedHashSet<>(m.intentRefs());
        all.addAll(links.linksOf(id));
        return new ArrayList<>(all);
    }

    /** The memories with an intent that is {@code prefix} or starts with it (plain text: no wildcards), newest first. */
    public List<MemoryId> search(String prefix, int limit) {
        requireIntent(prefix);
        if (limit < 1 || limit > 1000) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the limit is 1-1000");
        return links.search(prefix, limit);
    }

    private Memory writable(MemoryId id, Requester requester, String what) {
        if (state.lockdown().active()) throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown; no " + what);
        Memory m = find(id);
        if (m.isTombstoned()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + id + " is tombstoned; its links stay as they are");
        }
        if (requester.clearance().level() < m.classification().level()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, requester.name() + " (clearance " + requester.clearance().level()
                    + ") cannot change the links of a level-" + m.classification().level() + " memory");
        }
        return m;
    }

    private Memory find(MemoryId id) {
        return memories.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + id));
    }

    private static void requireIntent(String intent) {
        if (intent.isEmpty() || intent.length() > MAX_INTENT || intent.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an intent id is 1-" + MAX_INTENT + " characters without control characters");
        }
    }
}
