package org.memoryvault.domain.testing;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.memoryvault.domain.port.ApprovalGate;

/**
 * An {@link ApprovalGate} that answers from a script: queued one-off answers first, then the
 * standing answer. Fail-closed by default (no human: denied). Records every request. An
 * {@link #approved} answer is what a human at a terminal gives: the owner's passphrase
 * ({@link InMemoryVault#PASSPHRASE}, fresh for each answer), which the recall then proves.
 */
public final class ScriptedApprovalGate implements ApprovalGate {
    private final Deque<Decision> queued = new ArrayDeque<>();
    private Decision standing;
    private final List<Request> requests = new ArrayList<>();

    private ScriptedApprovalGate(Decision standing) { this.standing = standing; }

    public static ScriptedApprovalGate denying() { return new ScriptedApprovalGate(new Denied("test: no human answered")); }

    public static ScriptedApprovalGate approvingAs(String by) { return new ScriptedApprovalGate(new Approved(by)); }

    /** From now on, answer {@code decision} whenever nothing is queued. */
    public synchronized ScriptedApprovalGate always(Decision decision) {
        standing = Objects.requireNonNull(decision, "decision");
        return this;
    }

    /** Answer {@code decision} once, before any standing answer. */
    public synchronized ScriptedApprovalGate thenOnce(Decision decision) {
        queued.addLast(Objects.requireNonNull(decision, "decision"));
        return this;
    }

    public static Decision approved(String by) { return new Approved(by); }

    public static Decision denied(String reason) { return new Denied(reason); }

    public static Decision pending(String approvalId, Instant expiresAt) { return new Pending(approvalId, expiresAt); }

    @Override
    public synchronized Decision decide(Request request) {
        requests.add(request);
        Decision next = queued.pollFirst();
        Decision d = next != null ? next : standing;
        if (d instanceof Approved a && a.ownerSecret().isEmpty() && a.release().isEmpty()) {
            return new Approved(a.by(), java.util.Optional.of(org.memoryvault.domain.model.SlotSecret.passphrase(
                    InMemoryVault.PASSPHRASE.toCharArray())), java.util.Optional.empty());
        }
        return d;
    }

    public synchronized List<Request> requests() { return List.copyOf(requests); }
}
