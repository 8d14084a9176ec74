package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.LockdownState;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.usecase.EnterLockdown;
import org.memoryvault.domain.usecase.ExitLockdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault lockdown enter|exit|status}. */
@Command(name = "lockdown", mixinStandardHelpOptions = true, description = "Enter, leave or inspect lockdown.",
        subcommands = {LockdownCommands.Enter.class, LockdownCommands.Exit.class, LockdownCommands.Status.class})
final class LockdownCommands {
    static Map<String, Object> json(LockdownState s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("active", s.active());
        o.put("since", s.since().map(Json::time).orElse(null));
        o.put("reason", s.reason().orElse(null));
        o.put("by", s.by().orElse(null));
        return o;
    }

    @Command(name = "enter", mixinStandardHelpOptions = true, description = "Refuse every store and recall until the owner leaves lockdown.")
    static final class Enter extends VaultCommand {
        @Option(names = "--reason", defaultValue = "manual lockdown", description = "Why, kept in the audit log (default: ${DEFAULT-VALUE}).") String reason;
        @Option(names = "--by", defaultValue = "owner",
                description = "Who, kept in the audit log as given (a label, not checked) (default: ${DEFAULT-VALUE}).") String by;

        @Override boolean checksOwnerSeal() { return false; }

        @Override
        Result execute(Vault vault) {
            LockdownState before = vault.component().lockdownStatus().execute();
            LockdownState s = vault.component().enterLockdown().execute(new EnterLockdown.Request(reason, by));
            if (before.active()) {
                // entering again changes nothing: the first reason, time and author stay, and say so
                return new Result(json(s), "already in lockdown since " + Json.time(s.since().orElseThrow()) + " ("
                        + s.reason().orElse("") + "); nothing changed");
            }
            if (root().options().passphraseFile().isPresent()) {
                try {
                    vault.component().ownerSeals().resealProvingOwner();
                } catch (org.memoryvault.domain.error.IntegrityException e) {
                    root().io.err().println("vault: note: lockdown is on but not sealed: " + e.getMessage());
                }
            } else if (vault.component().keyAccess().profile(vault.component().ownerProof().ownerProfile()).hasOwnerSlot()) {
                root().io.err().println("vault: note: lockdown is on, but not sealed by the owner (no --passphrase-file): a process that"
                        + " edits vault.db could lift it unnoticed; seal it with `vault reseal --passphrase-file FILE`");
            }
            return new Result(json(s), "lockdown active since " + Json.time(s.since().orElseThrow()));
        }
    }

    @Command(name = "exit", mixinStandardHelpOptions = true,
            description = {"Leave lockdown (the owner's passphrase, or the recovery code).",
                    "Proves the owner profile's passphrase (on a vault without one, the recovery code init printed) by",
                    "unwrapping its key; a key file does not count. Give it with --passphrase-file or at the prompt."})
    static final class Exit extends VaultCommand {
        @Option(names = "--by", defaultValue = "owner", description = "Who, kept in the audit log (default: ${DEFAULT-VALUE}).") String by;

        @Override
        Result execute(Vault vault) {
            ProfileId owner = vault.component().ownerProof().ownerProfile();
            vault.component().exitLockdown().execute(new ExitLockdown.Request(owner, by));
            LockdownState now = vault.component().lockdownStatus().execute();
            return new Result(json(now), "lockdown lifted");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the vault is in lockdown.")
    static final class Status extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }

        @Override
        Result execute(Vault vault) {
            LockdownState s = vault.component().lockdownStatus().execute();
            return new Result(json(s), s.active()
                    ? "lockdown since " + Json.time(s.since().orElseThrow()) + " by "
                    + org.memoryvault.adapters.approval.TerminalApprovalGate.printable(s.by().orElse("?")) + ": "
                    + org.memoryvault.adapters.approval.TerminalApprovalGate.printable(s.reason().orElse(""))
                    : "not in lockdown");
        }
    }
}
