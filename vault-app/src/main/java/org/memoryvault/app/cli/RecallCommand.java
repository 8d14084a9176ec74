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

/**
 * {@code vault recall}: passes the gates and writes the content to stdout: the exact bytes to a pipe
 * or file, base64 with --json. To a terminal, text ends with a newline and binary content (not
 * UTF-8, or control characters a terminal would act on) is refused unless --output or --force.
 */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = {"Recall a memory's content through the gates.",
                "To a pipe or file: the exact bytes. To a terminal: text with a final newline, and binary content only with",
                "--force (or write it with --output FILE); a recall refused as binary still counts (audit, cooldown)."})
final class RecallCommand extends VaultCommand {
    /** A recall audits its own refusals, a wrong secret included ({@code memory.recall.refused}), and counts them. */
    @Override java.util.Optional<String> secretAuditName() { return java.util.Optional.empty(); }

    @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;

    @Option(names = "--justification", required = true, paramLabel = "TEXT", description = "Why it is needed (audited, searchable).")
    String justification;

    @Option(names = "--requester", hidden = true, paramLabel = "NAME")
    String requester;

    @Option(names = "--approval", paramLabel = "ID", description = "An approval id from a pending request.")
    String approval;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the content to this new file (0600) instead of stdout.")
    java.nio.file.Path output;

    @Option(names = "--force", description = "Write binary content to a terminal anyway.")
    boolean force;

    @Override
    Result execute(Vault vault) {
        MemoryId memoryId = MemoryId.parse(id);
        if (requester != null) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--requester no longer names anyone: an agent presents "
                    + "its credential with --principal-file FILE (vault principal add); without one, the owner asks");
        }
        if (output != null && java.nio.file.Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "will not overwrite the existing file " + output);   // before the recall
        }
        RecallMemory.Recalled r = vault.component().recallMemory().execute(
                new RecallMemory.Request(memoryId, vault.requester(), justification, Optional.ofNullable(approval)));
        try (var plaintext = r.plaintext()) {
            if (output != null) {
                writeNewFile(output, plaintext.revealForCrypto(), plaintext.length());
                if (!root().json) r.warnings().forEach(w -> root().io.err().println("vault: warning: " + w));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", r.memory().id().toString());
                out.put("classification", r.memory().classification().level());
                out.put("output", output.toAbsolutePath().toString());
                out.put("bytes", plaintext.length());
                out.put("audit_index", r.auditIndex());
                out.put("warnings", r.warnings());
                return new Result(root().json ? out : Map.of(), "");
            }
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
            byte[] bytes = plaintext.revealForCrypto();
            boolean terminal = root().io.outIsTerminal();
            if (terminal && !force && !isText(bytes, plaintext.length())) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "memory " + memoryId + " is binary (" + plaintext.length()
                        + " bytes) and stdout is a terminal, so it was not shown; the recall itself was granted and counts"
                        + " (audited, and any cooldown started): next time write it with --output FILE, pipe it, or add --force");
            }
            root().io.out().write(bytes, 0, plaintext.length());
            if (terminal && plaintext.length() > 0 && bytes[plaintext.length() - 1] != '\n') root().io.out().write('\n');
            root().io.out().flush();
            return new Result(Map.of(), "");
        }
    }

    /** Whether the bytes are UTF-8 text without control characters other than tab, newline and carriage return. */
    static boolean isText(byte[] bytes, int length) {
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.CharBuffer chars;
        try {
            chars = utf8.decode(java.nio.ByteBuffer.wrap(bytes, 0, length));
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
        try {
            for (int i = 0; i < chars.length(); i++) {
                char c = chars.charAt(i);
                if ((Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') || c == '\u2028' || c == '\u2029') return false;
            }
            return true;
        } finally {
            if (chars.hasArray()) java.util.Arrays.fill(chars.array(), '\0');
        }
    }

    /** Writes a new file, 0600 from its creation (O_EXCL: never through a link, never an existing file). */
    static void writeNewFile(java.nio.file.Path file, byte[] bytes, int length) {
        ProofCommands.NewFile f = ProofCommands.NewFile.create(file);
        boolean done = false;
        try {
            f.fill(bytes, length);
            done = true;
        } finally {
            f.close(!done);
        }
    }
}
