package org.memoryvault.app.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.audit.AuditRecord;
import org.memoryvault.audit.ConsistencyProof;
import org.memoryvault.audit.InclusionProof;
import org.memoryvault.audit.KeyRotation;
import org.memoryvault.audit.SignedCheckpoint;
import org.memoryvault.audit.Verification;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.MemoryId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault audit ...}: the audit log's contract for outside verifiers (docs/AUDIT.md). */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Inspect, prove and verify the signed audit log.",
        subcommands = {AuditCommands.Checkpoint.class, AuditCommands.Key.class, AuditCommands.Export.class,
                AuditCommands.Prove.class, AuditCommands.Consistency.class, AuditCommands.Verify.class,
                AuditCommands.Log.class, AuditCommands.Archive.class, AuditCommands.RotateKey.class})
final class AuditCommands {
    static OptionalLong optional(Long value) { return value == null ? OptionalLong.empty() : OptionalLong.of(value); }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Print the latest signed checkpoint (a C2SP signed note) covering the newest entry.")
    static final class Checkpoint extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Override
        Result execute(Vault vault) {
            vault.component().auditCheckpoints().checkpointIfGrown();
            SignedCheckpoint c = vault.component().auditCheckpoints().latestCheckpoint().orElseThrow(() ->
                    new InternalVaultException(ErrorCode.INTERNAL_ERROR, "no checkpoint was signed", null));
            if (!root().json) {
                root().io.out().print(c.note());
                root().io.out().flush();
                return new Result(Map.of(), "");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tree_size", c.treeSize());
            out.put("root", c.rootHex());
            out.put("epoch", c.epoch());
            out.put("note", c.note());
            return new Result(out, "");
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Print the verifier key (<name>+<key id>+<base64 key>).")
    static final class Key extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Override
        Result execute(Vault vault) {
            String key = vault.component().auditCheckpoints().verifierKey();
            return new Result(Map.of("verifier_key", key), key);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export entries [from, to) with their exact text.")
    static final class Export extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Option(names = "--from", paramLabel = "I", description = "First entry index (default: 0).") Long from;
        @Option(names = "--to", paramLabel = "J", description = "Exclusive end (default: the log size).") Long to;

        @Override
        Result execute(Vault vault) {
            String json = vault.component().auditQueries().exportJson(optional(from), optional(to));
            return new Result(new Json.Raw(json), json);
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true, description = "RFC 9162 inclusion proof of entry I in the tree of size N.")
    static final class Prove extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Option(names = "--index", required = true, paramLabel = "I", description = "The entry's index.") long index;
        @Option(names = "--size", paramLabel = "N", description = "Tree size (default: the latest checkpoint's).") Long size;

        @Override
        Result execute(Vault vault) {
            vault.component().auditCheckpoints().checkpointIfGrown();
            InclusionProof p = vault.component().auditQueries().inclusionProof(index, optional(size));
            return new Result(new Json.Raw(p.toJson()), p.toJson());
        }
    }

    @Command(name = "consistency", mixinStandardHelpOptions = true, description = "RFC 9162 consistency proof between tree sizes M and N.")
    static final class Consistency extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Option(names = "--from", required = true, paramLabel = "M", description = "The older tree size.") long first;
        @Option(names = "--to", paramLabel = "N", description = "Second tree size (default: the latest checkpoint's).") Long second;

        @Override
        Result execute(Vault vault) {
            vault.component().auditCheckpoints().checkpointIfGrown();
            ConsistencyProof p = vault.component().auditQueries().consistencyProof(first, optional(second));
            return new Result(new Json.Raw(p.toJson()), p.toJson());
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the tree from the stored entries and check every kept checkpoint; exit 5 at the first problem.")
    static final class Verify extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Override
        Result execute(Vault vault) {
            java.util.Map<Long, String> cosigned = vault.component().ownerSeals().cosignedTrees();
            Verification v = vault.component().auditVerifier().verify(cosigned);
            if (v.firstProblem().isPresent()) {
                throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "audit log broken: " + v.firstProblem().get().describe(), null);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("entries", v.entriesChecked());
            out.put("checkpoints", v.checkpointsChecked());
            out.put("owner_cosigned", cosigned.size());
            return new Result(out, "audit log verified: " + v.entriesChecked() + " entries, " + v.checkpointsChecked() + " checkpoints, "
                    + cosigned.size() + " trees cosigned by the owner");
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = {"List recent entries, oldest first.",
                    "With --json each entry is a JSON object (index, type, at, entry); `vault audit export` gives the exact",
                    "entry text that the tree hashes."})
    static final class Log extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Option(names = "--memory", paramLabel = "ID", description = "Only entries about this memory.") String memory;
        @Option(names = "--type", paramLabel = "TYPE", description = "Only entries of this type, e.g. memory.recall.refused, lockdown.enter.") String type;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many, the newest (default: ${DEFAULT-VALUE}).") int limit;

        @Override
        Result execute(Vault vault) {
            Optional<String> memoryId = Optional.ofNullable(memory).map(m -> MemoryId.parse(m).toString());
            List<AuditRecord> records = vault.component().auditQueries().log(memoryId, Optional.ofNullable(type), limit);
            StringBuilder text = new StringBuilder();
            for (AuditRecord r : records) {
                text.append(r.index()).append("  ").append(Json.time(r.at())).append("  ").append(r.entry()).append('\n');
            }
            List<Object> json = records.stream().map(r -> {
                Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("index", r.index());
                o.put("type", r.type());
                o.put("at", Json.time(r.at()));
                o.put("entry", Json.tree(r.entry()));
                return (Object) o;
            }).toList();
            return new Result(Map.of("entries", json), text.toString().stripTrailing());
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = "Write kept checkpoints (and their key epochs) as JSON for safekeeping elsewhere; nothing is deleted.")
    static final class Archive extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }        // reads and proves; `audit verify` checks the owner's cosigned trees

        @Option(names = "--before-size", paramLabel = "N", description = "Only checkpoints of trees smaller than N (default: all).") Long beforeSize;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSON file to write (refused if it exists).") Path out;

        @Override
        Result execute(Vault vault) {
            if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "will not overwrite " + out);
            }
            // created new (O_EXCL), then opened without following links: a link planted meanwhile is refused, never written through
            try (Writer w = Files.newBufferedWriter(Files.createFile(out,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardCharsets.UTF_8, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                vault.component().auditQueries().writeArchiveJson(optional(beforeSize), w);
            } catch (IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot write " + out);
            }
            return new Result(Map.of("archive", out.toString()), "wrote " + out);
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Start a new signing key epoch; the old public key is archived and its revocation logged.")
    static final class RotateKey extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            KeyRotation r = vault.component().auditCheckpoints().rotateKey();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("old_epoch", r.oldEpoch());
            out.put("old_key_id", r.oldKeyId());
            out.put("new_epoch", r.newEpoch());
            out.put("new_key_id", r.newKeyId());
            out.put("revoked_at_index", r.revokedAtIndex());
            out.put("verifier_key", r.newVerifierKey());
            return new Result(out, "new signing key epoch " + r.newEpoch() + ": " + r.newVerifierKey());
        }
    }
}
