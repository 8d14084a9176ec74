package org.memoryvault.adapters.approval;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.port.ApprovalGate;

/**
 * Asks the human at the controlling terminal to approve a recall. Shows who asks, which memory
 * (id, level, metadata) and why; only the answer {@code yes} approves.
 *
 * <p>Security: reads the terminal device, never standard input, so a process that feeds the
 * vault's stdin cannot approve its own request. No terminal, an unreadable answer or anything but
 * {@code yes} is a denial (fail-closed).
 */
public final class TerminalApprovalGate implements ApprovalGate {
    /** A conversation with a human: show a text and read one line of answer; empty when there is no human channel. */
    @FunctionalInterface
    public interface HumanChannel {
        Optional<String> ask(String text);
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
                + "  metadata:       " + printable(request.memory().metadata().json()) + "\n"
                + "  justification:  " + printable(request.justification()) + "\n"
                + "  at:             " + request.at() + "\n"
                + "Type yes to approve, anything else denies: ";
        Optional<String> answer = human.ask(text);
        if (answer.isEmpty()) return new Denied("no terminal to ask a human on");
        if (answer.get().strip().equals("yes")) return new Approved("terminal");
        return new Denied("the human at the terminal declined");
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
