package org.memoryvault.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.audit.AuditRecord;
import org.memoryvault.audit.ExistenceProof;
import org.memoryvault.audit.InclusionProof;
import org.memoryvault.audit.SignedCheckpoint;
import org.memoryvault.audit.VerifierKey;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.CommitmentOpening;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.usecase.RecallMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault proof}: existence proofs of memories, made by a vault and checked without one (docs/PROOFS.md). */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Existence proofs: a memory's keyed content commitment, its audit entry, an inclusion proof and a signed",
                "checkpoint, checked offline with the vault's verifier key (docs/PROOFS.md). Not a zero-knowledge proof."},
        subcommands = {ProofCommands.Create.class, ProofCommands.Verify.class})
final class ProofCommands {
    private ProofCommands() {}

    static final long MAX_PROOF_BYTES = 4L << 20;
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Set<String> PROOF_MEMBERS = Set.of("format", "memory_id", "commitment", "entry", "index", "tree_size",
            "inclusion_path", "checkpoint");
    private static final Set<String> OPENING_MEMBERS = Set.of("format", "memory_id", "commit_key");

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Write the existence proof of memory ID to a new file (0600). It reveals the memory's id, level, profile,",
                    "author and keyed commitment, never its content. With --opening, the memory is recalled through every gate",
                    "(audited, cooldown counts) and the commitment's opening is written too: keep it as private as the content."})
    static final class Create extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.") String id;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The proof file to write (must not exist).") Path out;

        @Option(names = "--opening", paramLabel = "FILE",
                description = "Also write the commitment's opening to this new file (0600), after a recall through the gates.")
        Path opening;

        @Option(names = "--justification", paramLabel = "TEXT", description = "Why the opening is needed (audited; with --opening).")
        String justification;

        @Option(names = "--approval", paramLabel = "ID", description = "An approval id from a pending request (with --opening).")
        String approval;

        @Override
        Result execute(Vault vault) {
            MemoryId memoryId = MemoryId.parse(id);
            if (opening == null && (justification != null || approval != null)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--justification and --approval go with --opening");
            }
            if (opening != null && justification == null) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--opening recalls the memory: give --justification TEXT");
            }
            if (opening != null && opening.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--out and --opening name the same file");
            }
            // both files are created (0600, never through a link) before the recall, so a path that cannot be written costs
            // no recall, cooldown or approval; they are filled at the end, and removed if anything fails before
            List<NewFile> files = new ArrayList<>();
            Optional<CommitmentOpening> taken = Optional.empty();
            boolean done = false;
            try {
                NewFile proofFile = NewFile.create(out);
                files.add(proofFile);
                NewFile openingFile = opening == null ? null : NewFile.create(opening);
                if (openingFile != null) files.add(openingFile);
                Optional<ContentCommitment> verified = Optional.empty();
                long recallIndex = -1;
                if (openingFile != null) {
                    RecallMemory.Recalled r = vault.component().recallMemory().execute(new RecallMemory.Request(memoryId,
                            vault.requester(), justification, Optional.ofNullable(approval), true));
                    r.plaintext().close();
                    taken = r.opening();
                    recallIndex = r.auditIndex();
                    if (taken.isEmpty()) throw new IllegalStateException("a recall asked for an opening returned none");
                    verified = Optional.of(r.memory().commitment());      // the decryption checked it against the ciphertext
                }
                ExistenceProof proof = prove(vault, memoryId, verified);
                proofFile.fill((proof.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
                if (openingFile != null) {
                    byte[] doc = ("{\"format\":\"" + ExistenceProof.OPENING_FORMAT + "\",\"memory_id\":\"" + memoryId + "\",\"commit_key\":\""
                            + HexFormat.of().formatHex(taken.orElseThrow().revealKey()) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
                    try {
                        openingFile.fill(doc);
                    } finally {
                        java.util.Arrays.fill(doc, (byte) 0);
                    }
                }
                done = true;
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("memory_id", memoryId.toString());
                json.put("out", out.toAbsolutePath().toString());
                json.put("entry_type", ExistenceProof.fields(proof.entry()).map(f -> f.get("type")).orElse(""));
                json.put("index", proof.index());
                json.put("tree_size", proof.treeSize());
                if (opening != null) {
                    json.put("opening", opening.toAbsolutePath().toString());
                    json.put("recall_audit_index", recallIndex);
                }
                return new Result(json, "wrote the existence proof of memory " + memoryId + " to " + out + " (audit entry " + proof.index()
                        + " in the signed tree of " + proof.treeSize() + ")" + (opening != null ? "; its opening to " + opening : ""));
            } finally {
                taken.ifPresent(CommitmentOpening::close);
                for (NewFile f : files) f.close(!done);
            }
        }

        /**
         * The entry that logged the memory's current commitment, proved in the latest checkpoint. When
         * none did, a {@code memory.commit} entry is appended, but only for a commitment a recall just
         * checked against the ciphertext ({@code verified}): the column alone is an editable row.
         */
        private static ExistenceProof prove(Vault vault, MemoryId memoryId, Optional<ContentCommitment> verified) {
            Memory memory = vault.component().showMemory().execute(memoryId);
            String commitment = verified.map(ContentCommitment::hex).orElse(memory.commitment().hex());
            if (memory.commitment().matches(ContentCommitment.SHREDDED)) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + memoryId + " was shredded: it has no content to prove");
            }
            OptionalLong index = OptionalLong.empty();
            for (String type : ExistenceProof.ENTRY_TYPES) {
                for (AuditRecord r : vault.component().auditQueries().log(Optional.of(memoryId.toString()), Optional.of(type), 1000)) {
                    if (commitment.equals(ExistenceProof.fields(r.entry()).map(f -> f.get("commitment")).orElse(null))
                            && (index.isEmpty() || r.index() < index.getAsLong())) {
                        index = OptionalLong.of(r.index());
                    }
                }
            }
            if (index.isEmpty() && verified.isEmpty()) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "no audit entry carries the current commitment of memory " + memoryId
                        + " (it was stored before store entries carried one, or sealed again since): give --opening FILE --justification"
                        + " TEXT, which recalls it through the gates, so the commitment is checked against its content before it is logged");
            }
            long at = index.isPresent() ? index.getAsLong() : vault.component().commitMemory().execute(memoryId, verified.orElseThrow());
            vault.component().auditCheckpoints().checkpointIfGrown();
            SignedCheckpoint checkpoint = vault.component().auditCheckpoints().latestCheckpoint()
                    .orElseThrow(() -> new IllegalStateException("no checkpoint after signing one"));
            InclusionProof p = vault.component().auditQueries().inclusionProof(at, OptionalLong.of(checkpoint.treeSize()));
            String entry = vault.component().auditQueries().entries(at, at + 1).get(0).entry();
            ExistenceProof proof = new ExistenceProof(memoryId.toString(), commitment, entry, at, checkpoint.treeSize(),
                    p.inclusionPath(), checkpoint.note());
            proof.verify(VerifierKey.parse(vault.component().auditCheckpoints().verifierKey()));    // what an outsider will check
            return proof;
        }

    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check an existence proof offline, with no vault: the checkpoint's signature under KEY, the entry, its",
                    "inclusion in the signed tree; with --content and --opening, that the content is what was committed.",
                    "Exit 0 when it holds, 5 when it does not, 2 for unreadable input."})
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The proof file.") Path file;

        @Option(names = "--vkey", required = true, paramLabel = "KEY",
                description = "The vault's verifier key, as `vault audit key` printed it (public; pin it out of band).") String vkey;

        @Option(names = "--content", paramLabel = "FILE", description = "The content to check against the commitment (with --opening).")
        Path content;

        @Option(names = "--opening", paramLabel = "FILE", description = "The commitment's opening (from `vault proof create --opening`).")
        Path opening;

        @Override
        public Integer call() {
            VaultCli root = (VaultCli) spec.root().userObject();
            if ((content == null) != (opening == null)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--content and --opening go together");
            }
            VerifierKey key;
            try {
                key = VerifierKey.parse(vkey.strip());
            } catch (RuntimeException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--vkey is not a verifier key (<name>+<key id>+<base64 key>)");
            }
            ExistenceProof proof = parseProof(read(file, MAX_PROOF_BYTES, "proof"));
            ExistenceProof.Verified v = proof.verify(key);
            boolean contentChecked = false;
            if (content != null) {
                byte[] commitKey = parseOpening(read(opening, MAX_PROOF_BYTES, "opening"), proof.memoryId());
                try (java.io.InputStream in = Files.newInputStream(content)) {       // streamed: content of any size, in flat memory
                    if (!proof.opensTo(commitKey, in)) {
                        throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                                "proof rejected: the content (with this opening) is not what memory " + proof.memoryId() + " committed to", null);
                    }
                    contentChecked = true;
                } catch (IOException e) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read the content file " + content + ": "
                            + e.getClass().getSimpleName());
                } finally {
                    java.util.Arrays.fill(commitKey, (byte) 0);
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", true);
            json.put("memory_id", v.memoryId());
            json.put("entry_type", v.type());
            json.put("classification", v.classification());
            json.put("logged_at", org.memoryvault.audit.CanonicalJson.instant(v.at()));
            json.put("index", v.index());
            json.put("tree_size", v.treeSize());
            json.put("root", v.rootHex());
            json.put("origin", v.origin());
            json.put("commitment", v.commitment());
            json.put("content_verified", contentChecked);
            String text = "proof holds: memory " + v.memoryId() + " (level " + v.classification() + ") and its commitment were entry "
                    + v.index() + " (" + v.type() + ", logged at " + org.memoryvault.audit.CanonicalJson.instant(v.at()) + " by the vault's clock) of the tree of " + v.treeSize()
                    + " that " + v.origin() + " signed" + (contentChecked ? "; the content is what was committed" : "");
            root.io.out().println(root.json ? Json.write(json) : text);
            return 0;
        }
    }

    /** A file created new (0600, O_EXCL: never through a link), kept open until filled; removed if it is closed unfilled. */
    static final class NewFile {
        private final Path path;
        private final java.nio.channels.FileChannel channel;

        private NewFile(Path path, java.nio.channels.FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        static NewFile create(Path path) {
            try {
                return new NewFile(path, java.nio.channels.FileChannel.open(path, java.util.EnumSet.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "will not overwrite the existing file " + path);
            } catch (IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot create " + path + ": " + e.getClass().getSimpleName());
            }
        }

        void fill(byte[] bytes) { fill(bytes, bytes.length); }

        /** Writes the first {@code length} bytes and syncs them. */
        void fill(byte[] bytes, int length) {
            try {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes, 0, length);
                while (b.hasRemaining()) channel.write(b);
                channel.force(true);
            } catch (IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot write " + path + ": " + e.getClass().getSimpleName());
            }
        }

        void close(boolean remove) {
            try {
                channel.close();
                if (remove) Files.deleteIfExists(path);
            } catch (IOException e) {
                // best effort: the command's own error is the one that matters
            }
        }
    }

    static byte[] read(Path file, long max, String what) {
        try {
            if (!Files.isRegularFile(file)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the " + what + " file " + file + " does not exist");
            if (Files.size(file) > max) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the " + what + " file " + file + " is too large");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read the " + what + " file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Reads a proof document strictly: exactly its members, of their types (docs/PROOFS.md). */
    static ExistenceProof parseProof(byte[] bytes) {
        JsonNode doc = object(bytes, "proof", PROOF_MEMBERS);
        if (!ExistenceProof.FORMAT.equals(doc.get("format").asText())) throw malformed("proof", "format is not " + ExistenceProof.FORMAT);
        JsonNode path = doc.get("inclusion_path");
        if (!path.isArray()) throw malformed("proof", "inclusion_path is not an array");
        List<String> hashes = new ArrayList<>();
        for (JsonNode h : path) {
            if (!h.isTextual()) throw malformed("proof", "inclusion_path holds a non-string");
            hashes.add(h.asText());
        }
        for (String n : List.of("index", "tree_size")) {
            if (!doc.get(n).canConvertToLong() || !doc.get(n).isIntegralNumber()) throw malformed("proof", n + " is not an integer");
        }
        for (String n : List.of("memory_id", "commitment", "entry", "checkpoint")) {
            if (!doc.get(n).isTextual()) throw malformed("proof", n + " is not a string");
        }
        return new ExistenceProof(doc.get("memory_id").asText(), doc.get("commitment").asText(), doc.get("entry").asText(),
                doc.get("index").asLong(), doc.get("tree_size").asLong(), hashes, doc.get("checkpoint").asText());
    }

    /** The 32-byte commit key of an opening document for {@code memoryId}; the caller wipes it. */
    static byte[] parseOpening(byte[] bytes, String memoryId) {
        try {
            JsonNode doc = object(bytes, "opening", OPENING_MEMBERS);
            if (!ExistenceProof.OPENING_FORMAT.equals(doc.get("format").asText())) {
                throw malformed("opening", "format is not " + ExistenceProof.OPENING_FORMAT);
            }
            if (!memoryId.equals(doc.get("memory_id").asText())) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "proof rejected: the opening is for memory "
                        + doc.get("memory_id").asText() + ", not " + memoryId, null);
            }
            String hex = doc.get("commit_key").asText();
            if (!hex.matches("[0-9a-f]{64}")) throw malformed("opening", "commit_key is not 64 lower-case hex digits");
            return HexFormat.of().parseHex(hex);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private static JsonNode object(byte[] bytes, String what, Set<String> members) {
        JsonNode doc;
        try {
            // UTF-8 only, as written (no byte order mark, no UTF-16): the same bytes every verifier reads
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            if (text.startsWith("\uFEFF")) throw malformed(what, "it starts with a byte order mark");
            doc = JSON.readTree(text);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw malformed(what, "not UTF-8");
        } catch (IOException e) {
            throw malformed(what, "not one JSON object (" + (e.getMessage() != null && e.getMessage().contains("Duplicate")
                    ? "a member appears twice" : "malformed or followed by more") + ")");
        }
        if (doc == null || !doc.isObject()) throw malformed(what, "not a JSON object");
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!members.contains(n)) throw malformed(what, "unknown member " + n);
        }
        for (String n : members) {
            if (!doc.has(n)) throw malformed(what, "missing member " + n);
        }
        return doc;
    }

    private static InvalidInputException malformed(String what, String why) {
        return new InvalidInputException(ErrorCode.INPUT_INVALID, "the " + what + " file is malformed: " + why);
    }
}
