package org.memoryvault.app.api;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.app.wiring.MetadataInput;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.SearchQuery;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.usecase.RecallMemory;
import org.memoryvault.domain.usecase.StoreMemory;

/**
 * Memory Vault as a library (docs/EMBEDDING.md): one opened vault, kept open, with the same gates,
 * owner seal checks and audit log as the CLI, because it runs the same use cases. Thread-safe, and
 * made for many callers at once: operations run concurrently, and their writes share durable
 * commits (group commit: each operation's rows and audit entries are on disk when it returns, and
 * operations that wait together share one fsync). Each operation checks the vault as a CLI command
 * does: the settings as loaded, the owner's seal, and the principal's credential (authenticated
 * again, so its rate counts every operation). A checkpoint of the audit log is signed every
 * {@code audit.checkpoint-interval} if it grew, and at {@link #close}. Failures are the domain's exceptions
 * ({@link org.memoryvault.domain.error.VaultException} with a stable {@code code()}); a failed
 * operation's own writes are undone (a refusal is still audited), and when a shared commit fails
 * every operation of it fails and none is stored (docs/EMBEDDING.md).
 *
 * <p>Who asks is fixed at {@link #open}: an agent principal (its credential file), or the owner
 * (a passphrase file or the key file, asked for when a gate needs it). Secrets come from files
 * only, never from strings.
 */
public final class MemoryVault implements AutoCloseable {
    private final Vault vault;
    /** Operations hold it shared; {@link #close} holds it alone, so it waits for the operations in progress. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock open = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    private MemoryVault(Vault vault) { this.vault = vault; }

    /** Who the embedding application is, and where its secrets are. */
    public static final class Options {
        private final Optional<Path> passphraseFile;
        private final Optional<Path> keyFile;
        private final Optional<Path> principalFile;

        private Options(Optional<Path> passphraseFile, Optional<Path> keyFile, Optional<Path> principalFile) {
            this.passphraseFile = passphraseFile;
            this.keyFile = keyFile;
            this.principalFile = principalFile;
        }

        /** An agent principal, by the credential file `vault principal add` wrote: its clearance bounds every call. */
        public static Options principal(Path credentialFile) {
            return new Options(Optional.empty(), Optional.empty(), Optional.of(credentialFile));
        }

        /** The owner, with the profile's key file at its default place (and no passphrase at hand). */
        public static Options owner() { return new Options(Optional.empty(), Optional.empty(), Optional.empty()); }

        /** This, with the owner's passphrase file (0600): levels 3-5 and owner ceremonies become possible. */
        public Options passphraseFile(Path file) { return new Options(Optional.of(file), keyFile, principalFile); }

        /** This, with a key file at another place. */
        public Options keyFile(Path file) { return new Options(passphraseFile, Optional.of(file), principalFile); }
    }

    /** Opens the initialised vault at {@code dir} and checks it against the owner's newest seal (exit-5 conditions throw). */
    public static MemoryVault open(Path dir, Options options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Vault vault = Vault.open(new VaultOptions(dir.toAbsolutePath().normalize(), options.passphraseFile, options.keyFile,
                options.principalFile, Map.of(), Optional.empty()));
        try {
            vault.component().ownerSeals().check();
            release(vault.authenticate());               // a credential that does not authenticate fails here, not later
            vault.startPeriodicCheckpoints();
            return new MemoryVault(vault);
        } catch (RuntimeException e) {
            vault.close();
            throw e;
        }
    }

    /** What {@link #recall} gave: the content, or a pending approval to retry with. */
    public static final class Recall {
        private final byte[] content;
        private final Optional<String> approvalId;
        private final List<String> warnings;

        private Recall(byte[] content, Optional<String> approvalId, List<String> warnings) {
            this.content = content;
            this.approvalId = approvalId;
            this.warnings = List.copyOf(warnings);
        }

        /** Whether the content was released. */
        public boolean granted() { return approvalId.isEmpty(); }

        /** The content (a copy; wipe it when done); empty when not granted. */
        public byte[] content() { return content.clone(); }

        /** The approval the owner must decide (`vault approvals approve ID`), when not granted; retry with it. */
        public Optional<String> approvalId() { return approvalId; }

        /** Notes about the recall (e.g. a suspected prompt injection in the content). */
        public List<String> warnings() { return warnings; }
    }

    /** One search hit: the memory, where the words matched (metadata or a justification), and a snippet. */
    public record Hit(String id, String matchedIn, String snippet) {}

    /** A memory's metadata and state, never its content. */
    public record Info(String id, int classification, String createdAt, String createdBy, String profile, String metadataJson,
                       boolean tombstoned, List<String> intents) {
        public Info { intents = List.copyOf(intents); }
    }

    /** The vault's state as an agent may see it: lockdown, and the boundary's view of each level. */
    public record Status(boolean lockdown, Optional<String> lockdownReason, Map<Integer, String> boundary) {
        public Status { boundary = Map.copyOf(boundary); }
    }

    /**
     * Stores {@code content} at {@code classification} (0-5) in profile {@code default}, with
     * {@code metadataJson} (a JSON object, or null for none): the new memory's id.
     */
    public String store(byte[] content, int classification, @org.jspecify.annotations.Nullable String metadataJson) {
        return store(content, classification, metadataJson, List.of(), "default");
    }

    /** As above, with IntentLog references and a profile. */
    public String store(byte[] content, int classification, @org.jspecify.annotations.Nullable String metadataJson,
                                     List<String> intentRefs, String profile) {
        Classification level = Classification.ofLevel(classification);
        Metadata metadata = metadataJson == null ? Metadata.EMPTY : MetadataInput.parse(metadataJson);
        ProfileId pid = ProfileId.of(profile);
        return operation("store", who -> {
            try (Plaintext plain = Plaintext.adopt(content.clone())) {
                StoreMemory.Stored stored = vault.component().storeMemory().execute(new StoreMemory.Request(plain, level, pid,
                        new AccessPolicy(Cooldown.NONE), metadata, intentRefs, who));
                return stored.id().toString();
            }
        });
    }

    /**
     * Recalls memory {@code id} through every gate, with {@code justification} (audited). A level
     * that needs the owner's approval gives a pending {@link Recall} (with the approval gate set to
     * {@code queue}); retry with {@link #recall(String, String, String)} once the owner approved.
     */
    public Recall recall(String id, String justification) { return recall(id, justification, null); }

    /** As above, presenting an approval the owner granted. */
    public Recall recall(String id, String justification, @org.jspecify.annotations.Nullable String approvalId) {
        MemoryId memoryId = MemoryId.parse(id);
        return operation("recall", who -> {
            try {
                RecallMemory.Recalled r = vault.component().recallMemory().execute(
                        new RecallMemory.Request(memoryId, who, justification, Optional.ofNullable(approvalId)));
                try (Plaintext plain = r.plaintext()) {
                    return new Recall(Arrays.copyOf(plain.revealForCrypto(), plain.length()), Optional.empty(), r.warnings());
                }
            } catch (ApprovalPendingException pending) {
                return new Recall(new byte[0], Optional.of(pending.approvalId()), List.of());
            }
        });
    }

    /** Searches metadata for {@code words} (words only: query syntax is matched as text): at most {@code limit} hits. */
    public List<Hit> search(String words, int limit) {
        return operation("search", who -> {
            List<MemoryRepository.SearchHit> hits = vault.component().searchMemories().execute(SearchQuery.parse(words, false, limit));
            return hits.stream().map(h -> new Hit(h.id().toString(), h.matchedIn(), h.snippet())).toList();
        });
    }

    /** The newest memories (tombstoned ones left out), at most {@code limit}: metadata only. */
    public List<Info> list(int limit) {
        return operation("list", who -> vault.component().listMemories()
                .execute(new org.memoryvault.domain.model.MemoryFilter(Optional.empty(), false, limit)).stream().map(this::info).toList());
    }

    /** Memory {@code id}'s metadata and state (no gate: metadata is not secret); {@code NOT_FOUND_MEMORY} if there is none. */
    public Info info(String id) {
        MemoryId memoryId = MemoryId.parse(id);
        return operation("show", who -> info(vault.component().showMemory().execute(memoryId)));
    }

    /** Links memory {@code id} to {@code intent} (audited): true if the link is new. */
    public boolean linkIntent(String id, String intent) {
        MemoryId memoryId = MemoryId.parse(id);
        return operation("intent link", who -> vault.component().intentLinks().link(memoryId, intent, who));
    }

    /** Lockdown and, per level, whether the boundary would let a recall through now (and why not). */
    public Status status() {
        return operation("status", who -> {
            org.memoryvault.domain.model.LockdownState l = vault.component().lockdownStatus().execute();
            Map<Integer, String> boundary = new java.util.TreeMap<>();
            for (org.memoryvault.domain.usecase.BoundaryStatus.Level level : vault.component().boundaryStatus().execute()) {
                boundary.put(level.classification().level(), level.permitted() ? "permitted" : level.reason());
            }
            return new Status(l.active(), l.reason(), boundary);
        });
    }

    private Info info(org.memoryvault.domain.model.Memory m) {
        return new Info(m.id().toString(), m.classification().level(), m.createdAt().toString(), m.createdBy(), m.profile().value(),
                m.metadata().json(), m.isTombstoned(), vault.component().intentLinks().get(m.id()));
    }

    /** Closes the vault once the operations in progress are done: a last checkpoint is signed, cached keys are wiped. */
    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            try {
                vault.finish();
            } catch (org.memoryvault.domain.error.VaultException e) {
                // the operations are committed; the next command or process signs the checkpoint, or reports the damage
            } finally {
                vault.close();
            }
        } finally {
            open.writeLock().unlock();
        }
    }

    /**
     * One operation, as one CLI command would run it: the settings must still be the ones loaded at
     * {@link #open} (else {@code INPUT_STATE}: reopen), the vault must agree with the owner's newest
     * seal, and the principal is authenticated again from its file (its rate counts every operation;
     * a removed principal or a rotated credential stops here). Operations run concurrently.
     */
    private <T> T operation(String name, java.util.function.Function<Requester, T> work) {
        open.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("this MemoryVault is closed");
            if (!vault.config().fileDigest().equals(vault.config().digest())) {
                throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_STATE,
                        "the vault's settings (config.toml) changed since it was opened; close and open it again (restart `vault mcp`)");
            }
            vault.component().ownerSeals().check();
            vault.component().auditCheckpoints().requireNotCutBack();
            Optional<org.memoryvault.domain.error.VaultException> checkpoint = vault.checkpointFailure();
            if (checkpoint.isPresent()) throw org.memoryvault.domain.error.VaultException.of(checkpoint.get().code(), checkpoint.get().getMessage());
            T result = vault.run(name, () -> {
                Requester who = vault.authenticate();
                try {
                    return work.apply(who);
                } finally {
                    release(who);
                }
            });
            vault.component().ownerSeals().publish();
            return result;
        } finally {
            open.readLock().unlock();
        }
    }

    /** Wipes what an agent's credential unlocked for one operation. */
    private static void release(Requester who) {
        if (who instanceof Requester.Agent agent) agent.key().close();
    }
}
