package org.memoryvault.app.cli;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.usecase.RecallMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault recall}: passes the gates and writes the content, raw, to stdout (base64 with --json). */
@Command(name = "recall", mixinStandardHelpOptions = true, description = "Recall a memory's content through the gates.")
final class RecallCommand extends VaultCommand {
    /** A recall audits its own refusals, a wrong secret included ({@code memory.recall.refused}), and counts them. */
    @Override java.util.Optional<String> secretAuditName() { return java.util.Optional.empty(); }

    @Parameters(index = "0", paramLabel = "ID") String id;

    @Option(names = "--justification", required = true, paramLabel = "TEXT", description = "Why it is needed (audited, searchable).")
    String justification;

    @Option(names = "--requester", hidden = true, paramLabel = "NAME")
    String requester;

    @Option(names = "--approval", paramLabel = "ID", description = "An approval id from a pending request.")
    String approval;

    @Override
    Result execute(Vault vault) {
        MemoryId memoryId = MemoryId.parse(id);
        if (requester != null) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--requester no longer names anyone: an agent presents "
                    + "its credential with --principal-file FILE (vault principal add); without one, the owner asks");
        }
        RecallMemory.Recalled r = vault.component().recallMemory().execute(
                new RecallMemory.Request(memoryId, vault.requester(), justification, Optional.ofNullable(approval)));
        try (var plaintext = r.plaintext()) {
            if (root().json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", r.memory().id().toString());
                out.put("classification", r.memory().classification().level());
                out.put("content_base64", Base64.getEncoder().encodeToString(plaintext.revealForCrypto()));
                out.put("audit_index", r.auditIndex());
                out.put("warnings", r.warnings());
                return new Result(out, "");
            }
            r.warnings().forEach(w -> root().io.err().println("vault: warning: " + w));
            root().io.out().write(plaintext.revealForCrypto(), 0, plaintext.length());
            root().io.out().flush();
            return new Result(Map.of(), "");
        }
    }
}
