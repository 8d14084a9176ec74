package org.memoryvault.domain.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.TokenRepository;

/** A {@link TokenRepository} in a map (not transactional: each call is atomic on its own). */
public final class InMemoryTokenRepository implements TokenRepository {
    private final Map<String, PresenceToken> tokens = new TreeMap<>();

    @Override
    public synchronized void insert(PresenceToken token) {
        if (tokens.containsKey(token.name())) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a token named " + token.name() + " exists");
        tokens.put(token.name(), token);
    }

    @Override public synchronized Optional<PresenceToken> find(String name) { return Optional.ofNullable(tokens.get(name)); }

    @Override public synchronized boolean exists(String name) { return tokens.containsKey(name); }

    @Override public synchronized List<PresenceToken> list() { return List.copyOf(tokens.values()); }

    @Override public synchronized boolean remove(String name) { return tokens.remove(name) != null; }

    @Override
    public synchronized boolean advance(String name, long counter) {
        PresenceToken t = tokens.get(name);
        if (t == null || (t.lastCounter().isPresent() && t.lastCounter().getAsLong() >= counter)) return false;
        tokens.put(name, new PresenceToken(t.name(), t.kind(), t.parameters(), t.sealedSecret(), OptionalLong.of(counter), t.createdAt()));
        return true;
    }
}
