package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.adapters.approval.TerminalApprovalGate;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Approval;
import org.memoryvault.domain.usecase.DecideApproval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault approvals list|approve|deny}: the owner's side of the out-of-band approval queue. */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "List, approve or deny pending recall approvals.",
        subcommands = {ApprovalCommands.ListAll.class, ApprovalCommands.Approve.class, ApprovalCommands.Deny.class})
final class ApprovalCommands {
    static Map<String, Object> json(Approval a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("approval_id", a.id());
        o.put("memory_id", a.memoryId().toString());
        o.put("requester", a.requester());
        o.put("justification", a.justification());
        o.put("requested_at", Json.time(a.requestedAt()));
        o.put("expires_at", Json.time(a.expiresAt()));
        o.put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
        o.put("decided_by", a.decidedBy().orElse(null));
        o.put("decided_at", a.decidedAt().map(Json::time).orElse(null));
        o.put("reason", a.reason().orElse(null));
        o.put("key_released", a.release().isPresent());
        return o;
    }

    /** The approval's memory, if it still exists (a purged one does not). */
    static java.util.Optional<org.memoryvault.domain.model.Memory> memory(Vault vault, Approval a) {
        try {
            return java.util.Optional.of(vault.component().showMemory().execute(a.memoryId()));
        } catch (org.memoryvault.domain.error.NotFoundException gone) {
            return java.util.Optional.empty();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending approvals (all recent ones with --all).")
    static final class ListAll extends VaultCommand {
        @Option(names = "--all", description = "Include decided, used and expired ones.") boolean all;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit;

        @Override
        Result execute(Vault vault) {
            List<Approval> list = vault.component().listApprovals().execute(!all, limit);
            StringBuilder text = new StringBuilder();
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (Approval a : list) {
                text.append(a.id()).append("  ").append(a.status().name().toLowerCase(java.util.Locale.ROOT)).append("  memory ")
                        .append(a.memoryId()).append("  by ").append(TerminalApprovalGate.printable(a.requester())).append("  expires ")
                        .append(Json.time(a.expiresAt())).append('\n');
                Map<String, Object> o = json(a);
                memory(vault, a).ifPresent(m -> {
                    // level, author and time are bound to the memory's ciphertext (approving checks them); metadata is a claim
                    text.append("    memory: level ").append(m.classification().level()).append(", stored by ")
                            .append(TerminalApprovalGate.printable(m.createdBy())).append(" at ").append(Json.time(m.createdAt()))
                            .append("; metadata (unverified): ").append(TerminalApprovalGate.printable(m.metadata().json())).append('\n');
                    o.put("memory_classification", m.classification().level());
                    o.put("memory_created_by", m.createdBy());
                    o.put("memory_created_at", Json.time(m.createdAt()));
                });
                text.append("    why: ").append(TerminalApprovalGate.printable(a.justification())).append('\n');
                out.add(o);
            }
            return new Result(Map.of("approvals", out), text.toString().stripTrailing());
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve one pending recall: proves the owner's passphrase of the memory's profile and releases that memory's key to the requesting principal.")
    static final class Approve extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The approval's id (`vault approvals list`).") String id;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the audit log.") String reason;
        @Option(names = "--by", defaultValue = "owner", description = "Who decided, kept in the audit log (default: ${DEFAULT-VALUE}).") String by;

        @Override
        Result execute(Vault vault) {
            Approval a = vault.component().decideApproval().execute(new DecideApproval.Request(Approval.parseId(id), true,
                    Optional.ofNullable(reason), by));
            return new Result(json(a), "approved " + a.id() + ": principal " + a.requester() + " may recall memory " + a.memoryId()
                    + " once through the vault, until " + Json.time(a.expiresAt()) + "; its credential now opens that memory's key"
                    + " for good (until the memory is tombstoned)");
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny one pending recall.")
    static final class Deny extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The approval's id (`vault approvals list`).") String id;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the audit log.") String reason;
        @Option(names = "--by", defaultValue = "owner", description = "Who decided, kept in the audit log (default: ${DEFAULT-VALUE}).") String by;

        @Override
        Result execute(Vault vault) {
            Approval a = vault.component().decideApproval().execute(new DecideApproval.Request(Approval.parseId(id), false,
                    Optional.ofNullable(reason), by));
            return new Result(json(a), "denied " + a.id());
        }
    }
}
