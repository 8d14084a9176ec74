package org.memoryvault.adapters.approval;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.ApprovalGate;

/**
 * Asks the human at the controlling terminal to approve a recall. Shows who asks, which memory
 * (id, level, metadata, marked as the requester's unauthenticated claims) and why, and asks for the
 * owner's passphrase: the answer is passed on as the owner's secret, and the recall approves only
 * if it opens the owner key of the memory's profile (docs/THREAT-MODEL.md). A "yes" approves
 * nothing, so an agent that runs the vault under a pseudo-terminal it owns cannot approve itself.
 *
 * <p>Security: reads the terminal device, never standard input, with echo off. No terminal, an
 * unreadable or empty answer is a denial (fail-closed). The typed passphrase reaches this process:
 * where agents start the vault, prefer the approval queue, which keeps it in the owner's own process.
 */
public final class TerminalApprovalGate implements ApprovalGate {
    /**
     * A conversation with a human: show a text and read one line of secret answer (not echoed);
     * empty when there is no human channel. The caller wipes the returned characters.
     */
    @FunctionalInterface
    public interface HumanChannel {
        Optional<char[]> askSecret(String text);
    }

    private final HumanChannel human;

    public TerminalApprovalGate(HumanChannel human) {
        this.human = Objects.requireNonNull(human, "human");
    }

    /** A gate that talks to {@code /dev/tty}. */
    public static TerminalApprovalGate ofDevTty() {
        return new TerminalApprovalGate(new DevTtyChannel(java.nio.file.Path.of("/dev/tty")));
    }

    @Override
    public Decision decide(Request request) {
        String text = "\nMemory Vault: approval needed for a recall\n"
                + "  requester:      " + printable(request.requester()) + "\n"
                + "  memory:         " + request.memory().id() + "\n"
                + "  classification: " + request.memory().classification().level() + " ("
                + request.memory().classification().name().toLowerCase(Locale.ROOT) + ")\n"
                + "  metadata:       " + printable(request.memory().metadata().json()) + "   (claimed by the storer, not verified)\n"
                + "  justification:  " + printable(request.justification()) + "   (claimed by the requester)\n"
                + "  at:             " + request.at() + "\n"
                + "To approve, type the owner passphrase of profile " + printable(request.memory().profile().value())
                + " (Enter alone denies): ";
        Optional<char[]> answer = human.askSecret(text);
        if (answer.isEmpty()) return new Denied("no terminal to ask a human on");
        char[] typed = answer.get();
        try {
            if (typed.length == 0) return new Denied("the human at the terminal declined");
            return new Approved("owner at terminal", Optional.of(SlotSecret.passphrase(typed)), Optional.empty());
        } finally {
            java.util.Arrays.fill(typed, '\0');
        }
    }

    /**
     * Keeps control and format characters from user text off the terminal: no escape sequences, no
     * bidirectional overrides that would make a justification display as something else. Also for
     * other places that show an approval request to the human (e.g. {@code vault approvals list}).
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().limit(2000).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) b.append('?');
            else b.appendCodePoint(cp);
        });
        return b.toString();
    }
}
