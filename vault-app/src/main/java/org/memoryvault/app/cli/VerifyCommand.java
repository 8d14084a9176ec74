package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.usecase.VerifyMemories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault verify --deep}: authenticates every live memory and checks its commitment; exit 5 if any is damaged. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Integrity scrub: with --deep, open every memory (profiles unlocked) and report each damaged one by id.")
final class VerifyCommand extends VaultCommand {
    @Option(names = "--deep", required = true, description = "Decrypt-check every memory (no content is shown).") boolean deep;

    @Override boolean checksOwnerSeal() { return false; }

    @Override
    Result execute(Vault vault) {
        if (!deep) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "only `vault verify --deep` exists");
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checked", report.checked());
        out.put("skipped_tombstoned", report.skipped());
        out.put("skipped_above_key", report.unreachable());
        out.put("damaged", damaged);
        out.put("audit_index", report.auditIndex());
        List<String> sealProblems = vault.component().ownerSeals().problems();
        out.put("owner_seal", sealProblems.isEmpty() ? vault.component().ownerSeals().latest().map(x -> "ok").orElse("none yet") : "broken");
        out.put("owner_seal_problems", sealProblems);
        if (!sealProblems.isEmpty()) {
            vault.finish();
            if (!root().json) sealProblems.forEach(p -> root().io.out().println("owner seal: " + p));
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the vault's state disagrees with the owner's seal: "
                    + String.join("; ", sealProblems), null);
        }
        if (!report.damaged().isEmpty()) {
            vault.finish();
            if (!root().json) {
                report.damaged().forEach(d -> root().io.out().println("damaged: " + d.id() + " (" + d.code() + ": " + d.reason() + ")"));
            }
            String ids = String.join(", ", report.damaged().stream().limit(50).map(d -> d.id() + " (" + d.code() + ")").toList());
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, report.damaged().size() + " of " + report.checked()
                    + " memories are damaged: " + ids + (report.damaged().size() > 50 ? ", ..." : ""), null);
        }
        return new Result(out, "verified " + report.checked() + " memories (" + report.skipped() + " tombstoned, "
                + report.unreachable() + " above this key's reach, skipped): none damaged");
    }
}
