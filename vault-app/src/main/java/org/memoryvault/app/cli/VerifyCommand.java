package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.usecase.VerifyMemories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vault verify}: the quick check (the stored state against the owner's seal, and the audit
 * log against its signed checkpoints); {@code --deep} also authenticates every live memory and
 * checks its commitment. Exit 5 at any problem.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the vault's integrity: the owner's seal and the audit log.",
                "With --deep also open every memory this key reaches (give --passphrase-file for levels 3-5) and report",
                "each damaged one by id."})
final class VerifyCommand extends VaultCommand {
    @Option(names = "--deep", description = "Also decrypt-check every memory (no content is shown; needs its profiles' keys).") boolean deep;

    @Override boolean checksOwnerSeal() { return false; }

    /** An integrity check runs whatever config.toml holds (keys set aside are reported by `config list`). */
    @Override boolean repairsConfig() { return true; }

    @Override
    Result execute(Vault vault) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deep", deep);
        List<String> sealProblems = vault.component().ownerSeals().problems();
        out.put("owner_seal", sealProblems.isEmpty() ? vault.component().ownerSeals().latest().map(x -> "ok").orElse("none yet") : "broken");
        out.put("owner_seal_problems", sealProblems);
        if (!sealProblems.isEmpty()) {
            vault.finish();
            if (!root().json) sealProblems.forEach(p -> root().io.out().println("owner seal: " + p));
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the vault's state disagrees with the owner's seal: "
                    + String.join("; ", sealProblems) + "; the owner accepts it with `vault reseal` after looking", null);
        }
        java.util.Map<Long, String> cosigned = vault.component().ownerSeals().cosignedTrees();
        org.memoryvault.audit.Verification audit = vault.component().auditVerifier().verify(cosigned);
        out.put("audit_entries", audit.entriesChecked());
        out.put("audit_checkpoints", audit.checkpointsChecked());
        if (audit.firstProblem().isPresent()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit log broken: " + audit.firstProblem().get().describe(), null);
        }
        String quick = "owner seal " + out.get("owner_seal") + "; audit log: " + audit.entriesChecked() + " entries, "
                + audit.checkpointsChecked() + " checkpoints";
        if (!deep) return new Result(out, "verified (quick): " + quick + "; `vault verify --deep` also checks every memory");
        boolean terminal = System.console() != null && !root().json;
        VerifyMemories.Report report = vault.component().verifyMemories().execute(p -> {
            if (terminal) {
                root().io.err().print("\rchecked " + p.checked() + " memories, " + p.damaged() + " damaged");
                root().io.err().flush();
            }
        });
        if (terminal) root().io.err().println();
        List<Map<String, Object>> damaged = report.damaged().stream().map(d -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", d.id().toString());
            o.put("code", d.code().name());
            o.put("reason", d.reason());
            return o;
        }).toList();
        out.put("checked", report.checked());
        out.put("skipped_tombstoned", report.skipped());
        out.put("skipped_above_key", report.unreachable());
        out.put("damaged", damaged);
        out.put("audit_index", report.auditIndex());
        if (!report.damaged().isEmpty()) {
            vault.finish();
            if (!root().json) {
                report.damaged().forEach(d -> root().io.out().println("damaged: " + d.id() + " (" + d.code() + ": " + d.reason() + ")"));
            }
            String ids = String.join(", ", report.damaged().stream().limit(50).map(d -> d.id() + " (" + d.code() + ")").toList());
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, report.damaged().size() + " of " + report.checked()
                    + " memories are damaged: " + ids + (report.damaged().size() > 50 ? ", ..." : ""), null);
        }
        String hint = report.unreachable() > 0 && root().options().passphraseFile().isEmpty()
                ? " (give --passphrase-file to check levels 3-5 too)" : "";
        return new Result(out, "verified: " + quick + "; " + report.checked() + " memories (" + report.skipped() + " tombstoned, "
                + report.unreachable() + " above this key's reach, skipped): none damaged" + hint);
    }
}
