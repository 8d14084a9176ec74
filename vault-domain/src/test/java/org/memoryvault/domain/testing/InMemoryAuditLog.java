package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.AuditLog;

/**
 * An {@link AuditLog} that keeps events in a list; the leaf index is the list position. It takes
 * part in {@link InMemoryTransactions}, so events of a rolled-back transaction disappear.
 * {@link #failNextAppend} simulates a log that cannot write.
 */
public final class InMemoryAuditLog implements AuditLog, InMemoryTransactions.Participant {
    private final List<AuditEvent> events = new ArrayList<>();
    private @Nullable RuntimeException nextFailure;

    @Override
    public synchronized long append(AuditEvent event) {
        RuntimeException failure = nextFailure;
        if (failure != null) {
            nextFailure = null;
            throw failure;
        }
        events.add(java.util.Objects.requireNonNull(event, "event"));
        return events.size() - 1L;
    }

    /** The size and a stand-in root (the hex of the size): this log has no tree. */
    @Override
    public synchronized Head head() {
        return new Head(events.size(), String.format("%064x", events.size()));
    }

    @Override
    public synchronized long countOfType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    @Override
    public synchronized boolean hasPrefix(long size, String rootHex) {
        return size <= events.size() && String.format("%064x", size).equals(rootHex);
    }

    /** The next {@link #append} throws {@code failure} instead of recording. */
    public synchronized void failNextAppend(RuntimeException failure) { nextFailure = failure; }

    /** All events, oldest first (a copy). */
    public synchronized List<AuditEvent> events() { return List.copyOf(events); }

    public synchronized List<AuditEvent> eventsOfType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public synchronized Optional<AuditEvent> last() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    public synchronized int size() { return events.size(); }

    @Override
    public synchronized Runnable snapshot() {
        List<AuditEvent> copy = List.copyOf(events);
        return () -> {
            synchronized (this) {
                events.clear();
                events.addAll(copy);
            }
        };
    }
}
