package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.RateLimit;
import org.memoryvault.domain.port.PrincipalRepository;

/** A {@link PrincipalRepository} in a sorted map, with fixed rate windows. Takes part in {@link InMemoryTransactions}. */
public final class InMemoryPrincipalRepository implements PrincipalRepository, InMemoryTransactions.Participant {
    private record Window(Instant start, int used) {}

    private final Map<String, PrincipalRecord> principals = new TreeMap<>();
    private final Map<String, Window> windows = new HashMap<>();

    @Override public synchronized void insert(PrincipalRecord p) {
        if (principals.putIfAbsent(p.name(), p) != null) {
            throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_INVALID,
                    "a principal named " + p.name() + " exists");
        }
    }

    @Override public synchronized Optional<PrincipalRecord> find(String name) { return Optional.ofNullable(principals.get(name)); }

    @Override public synchronized Optional<PrincipalRecord> findByCredential(String credentialId) {
        return principals.values().stream().filter(p -> p.credentialId().equals(credentialId)).findFirst();
    }

    @Override public synchronized List<PrincipalRecord> list() { return List.copyOf(principals.values()); }

    @Override public synchronized void replace(PrincipalRecord p) {
        if (principals.replace(p.name(), p) == null) throw new IllegalStateException("no principal " + p.name());
        windows.remove(p.name());
    }

    @Override public synchronized boolean admit(String name, Instant now, RateLimit limit) {
        Window w = windows.get(name);
        if (w == null || !now.isBefore(w.start().plus(limit.window()))) w = new Window(now, 0);   // a later-starting window is kept
        if (w.used() >= limit.count()) return false;
        windows.put(name, new Window(w.start(), w.used() + 1));
        return true;
    }

    @Override public synchronized boolean remove(String name) {
        windows.remove(name);
        return principals.remove(name) != null;
    }

    @Override
    public synchronized Runnable snapshot() {
        Map<String, PrincipalRecord> saved = new TreeMap<>(principals);
        Map<String, Window> savedWindows = new HashMap<>(windows);
        return () -> {
            synchronized (this) {
                principals.clear();
                principals.putAll(saved);
                windows.clear();
                windows.putAll(savedWindows);
            }
        };
    }
}
