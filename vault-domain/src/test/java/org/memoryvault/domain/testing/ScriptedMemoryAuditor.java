package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.port.MemoryAuditor;

/**
 * A {@link MemoryAuditor} with a fixed verdict. It keeps a reference to the last {@link Plaintext}
 * it was shown (so a test can check it was wiped afterwards) and a copy of what that plaintext
 * held at inspection time. Test-only: a real auditor must never keep content.
 */
public final class ScriptedMemoryAuditor implements MemoryAuditor {
    private final String name;
    private final Verdict verdict;
    private final List<Memory> inspected = new ArrayList<>();
    private Optional<Plaintext> lastSeen = Optional.empty();
    private byte[] lastContent = new byte[0];

    public ScriptedMemoryAuditor(String name, Verdict verdict) {
        this.name = Objects.requireNonNull(name, "name");
        this.verdict = Objects.requireNonNull(verdict, "verdict");
    }

    public static ScriptedMemoryAuditor passing(String name) { return new ScriptedMemoryAuditor(name, new Pass()); }

    public static ScriptedMemoryAuditor warning(String name, String... findings) {
        return new ScriptedMemoryAuditor(name, new Warn(List.of(findings)));
    }

    public static ScriptedMemoryAuditor refusing(String name, String reason) { return new ScriptedMemoryAuditor(name, new Refuse(reason)); }

    @Override public String name() { return name; }

    @Override
    public synchronized Verdict inspect(Memory memory, Plaintext content) {
        inspected.add(memory);
        lastSeen = Optional.of(content);
        lastContent = content.revealForCrypto().clone();
        return verdict;
    }

    /** The memories shown to this auditor, in order. */
    public synchronized List<Memory> inspected() { return List.copyOf(inspected); }

    /** The plaintext object last shown (its bytes as they are now, possibly wiped). */
    public synchronized Optional<Plaintext> lastSeen() { return lastSeen; }

    /** A copy of the bytes the last plaintext held when it was inspected. */
    public synchronized byte[] lastContent() { return lastContent.clone(); }
}
