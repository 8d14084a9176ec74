package org.memoryvault.domain.usecase;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.LegacyMemory;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.LegacyMerkle;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.Tombstone;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.LegacyCipher;
import org.memoryvault.domain.port.LegacyVault;
import org.memoryvault.domain.port.MemoryRepository;

/**
 * Imports a vault of the Python original (docs/IMPORT.md): checks its recall log against its
 * newest Merkle root first (a log that does not match is refused before anything is written), then
 * opens each memory with the legacy key (a key file's 32 raw bytes, or Argon2id of the passphrase
 * with the memory's own salt, on several threads), checks its content hash and stores it here
 * sealed as any memory, keeping its id, level, creation time, author, metadata, cooldown, intent
 * reference and tombstone; a memory that cannot be opened is reported by id and the import goes
 * on. The recall history becomes {@code legacy.recall} audit entries, and a {@code legacy.import}
 * entry records the legacy root. An owner operation: each batch is an owner ceremony. Memories
 * already here (by id) are skipped, and recalls an earlier import of the same log brought over are
 * not brought again, so a re-run finishes an interrupted import.
 */
public final class ImportLegacy {
    /** Where the legacy keys come from: a KeyFile profile's key file, by legacy profile id; the passphrase of passphrase profiles. */
    public interface Keys {
        Optional<byte[]> keyFile(String legacyProfile);

        Optional<SlotSecret> passphrase();
    }

    /**
     * Legacy profiles to profiles of this vault (the rest go to {@code fallback}); {@code threads}
     * for Argon2id; {@code trustLegacyLevels} keeps a passphrase memory's legacy level even below 3.
     */
    public record Request(Map<String, ProfileId> profileMap, ProfileId fallback, boolean dryRun, int threads, boolean trustLegacyLevels) {
        public Request(Map<String, ProfileId> profileMap, ProfileId fallback, boolean dryRun, int threads) {
            this(profileMap, fallback, dryRun, threads, false);
        }

        public Request {
            profileMap = Map.copyOf(profileMap);
            Objects.requireNonNull(fallback, "fallback");
            if (threads < 1) throw new IllegalArgumentException("threads < 1");
        }
    }

    /** A memory not imported, and why. */
    public record Failure(String memoryId, String reason) {}

    /**
     * What the import did (or, dry, would do); {@code contentMissing} the memories whose content the
     * legacy source did not hold (a backup of a non-exportable profile): imported with their
     * metadata and state only, as shredded tombstones, and counted in {@code imported}.
     */
    public record Report(long memories, long imported, long existing, List<Failure> failures, List<String> contentMissing,
                         long tombstones, long recalls, long recallsAlreadyImported, Optional<String> legacyRoot, long leaves,
                         boolean dryRun, long levelsRaised, long recoveredWithAnotherKey) {
        public Report {
            failures = List.copyOf(failures);
            contentMissing = List.copyOf(contentMissing);
        }
    }

    static final String SOURCE = "legacy";
    static final String CONTENT_MISSING = "content not exported by the legacy backup (a non-exportable profile)";
    private static final int BATCH = 32;
    /** A batch also ends once its rows hold this much ciphertext, so the heap holds few large memories at once. */
    private static final long BATCH_BYTES = 16L << 20;
    private static final Pattern COOLDOWN = Pattern.compile("\"cooldown_seconds\"\\s*:\\s*(\\d{1,18})\\s*[,}]");
    /** A longer legacy cooldown is kept as a hundred years: as good as for ever, and a time this vault can add to any instant. */
    private static final long MAX_COOLDOWN_SECONDS = 100L * 366 * 24 * 3600;
    private static final Pattern PREVIOUS = Pattern.compile("\"leaves\":(\\d+).*\"legacy_root\":\"([0-9a-f]{64})\"");

    private final MemoryRepository memories;
    private final org.memoryvault.domain.port.ProfileRepository profiles;
    private final StoreMemory store;
    private final OwnerProof owner;
    private final AuditLog audit;
    private final AuditStore auditStore;
    private final LegacyCipher cipher;
    private final Clock clock;

    public ImportLegacy(MemoryRepository memories, org.memoryvault.domain.port.ProfileRepository profiles, StoreMemory store,
                        OwnerProof owner, AuditLog audit, AuditStore auditStore, LegacyCipher cipher, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.store = Objects.requireNonNull(store, "store");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.auditStore = Objects.requireNonNull(auditStore, "auditStore");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Imports {@code source} with the owner key {@code proven}; {@code progress} is told of each memory handled. */
    public Report execute(LegacyVault source, Keys keys, Request request, DataKey proven, LongConsumer progress) {
        List<LegacyVault.Recall> recalls = source.recalls();
        List<String> leaves = checkedLeaves(recalls, source.newestRoot());
        Optional<String> root = LegacyMerkle.root(leaves);
        Map<String, String> keySources = new java.util.HashMap<>();
        for (LegacyVault.Profile p : source.profiles()) keySources.put(p.id(), p.keySource());
        for (String legacyProfile : request.profileMap().keySet()) {
            if (!keySources.containsKey(legacyProfile)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--profile-map names " + legacyProfile
                        + ", which is not a profile of the legacy vault (" + String.join(", ", new java.util.TreeSet<>(keySources.keySet())) + ")");
            }
        }
        Run run = new Run(keySources, keys, request, proven, progress);
        List<LegacyMemory> batch = new ArrayList<>(BATCH);
        long[] bytes = {0};
        try {
            source.forEachMemory(m -> {
                batch.add(m);
                bytes[0] += m.ciphertextLength();
                if (batch.size() == BATCH || bytes[0] >= BATCH_BYTES) {
                    run.importBatch(batch);
                    batch.clear();
                    bytes[0] = 0;
                }
            });
            if (!batch.isEmpty()) run.importBatch(batch);
            run.retryWithOtherKeys();
        } finally {
            run.close();
        }

        long already = alreadyImported(leaves);
        List<LegacyVault.Recall> fresh = recalls.subList((int) already, recalls.size());
        Report report = new Report(source.memoryCount(), run.imported, run.existing, run.failures, run.missing, run.tombstones,
                fresh.size(), already, root, leaves.size(), request.dryRun(), run.raised, run.recovered);
        if (!request.dryRun()) {
            owner.ceremony(proven, () -> {
                Instant now = clock.instant();
                for (LegacyVault.Recall r : fresh) {
                    audit.append(AuditEvent.of(AuditEvent.LEGACY_RECALL, now).with("memory_id", r.memoryId())
                            .with("request_id", r.requestId()).with("requester", r.requester()).with("legacy_at", r.timestamp())
                            .with("approved", r.approved()).with("justification", Objects.requireNonNullElse(r.justification(), ""))
                            .with("imported", SOURCE));
                }
                audit.append(AuditEvent.of(AuditEvent.LEGACY_IMPORT, now).with("memories", report.memories())
                        .with("imported", report.imported()).with("existing", report.existing()).with("failed", report.failures().size())
                        .with("tombstones", report.tombstones()).with("recalls", fresh.size()).with("leaves", leaves.size())
                        .with("legacy_root", root.orElse("none")));
            });
        }
        return report;
    }

    /** The recall log's leaf hashes, each recomputed and compared with the stored one, and their root with the newest signed root. */
    private static List<String> checkedLeaves(List<LegacyVault.Recall> recalls, Optional<LegacyVault.Root> newest) {
        List<String> leaves = new ArrayList<>(recalls.size());
        for (LegacyVault.Recall r : recalls) {
            String leaf = LegacyMerkle.leafHash(r.requestId(), r.memoryId(), r.requester(), r.timestamp(), r.approved(),
                    Objects.requireNonNullElse(r.justification(), ""));
            if (!r.storedLeafHash().map(leaf::equals).orElse(false)) {
                throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the legacy recall log does not match its Merkle leaves"
                        + " (request " + r.requestId() + "): it was edited after it was logged; nothing was imported", null);
            }
            leaves.add(leaf);
        }
        Optional<String> root = LegacyMerkle.root(leaves);
        boolean matches = newest.isEmpty() ? leaves.isEmpty()
                : newest.get().leafCount() == leaves.size() && root.map(newest.get().rootHash()::equals).orElse(false);
        if (!matches) {
            throw new IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG, "the legacy recall log (" + leaves.size() + " leaves) does not"
                    + " match its newest Merkle root" + newest.map(n -> " (" + n.leafCount() + " leaves)").orElse(" (none)")
                    + ": entries were added or removed after they were logged; nothing was imported", null);
        }
        return leaves;
    }

    /** How many of these leaves an earlier import of the same log brought over (its leaves are a prefix of these). */
    private long alreadyImported(List<String> leaves) {
        long best = 0;
        for (AuditStore.Entry e : auditStore.find(Optional.empty(), Optional.of(AuditEvent.LEGACY_IMPORT), 1000)) {
            Matcher m = PREVIOUS.matcher(e.text());
            if (!m.find()) continue;
            long n = Long.parseLong(m.group(1));
            if (n > best && n <= leaves.size() && LegacyMerkle.root(leaves.subList(0, (int) n)).map(m.group(2)::equals).orElse(false)) {
                best = n;
            }
        }
        return best;
    }

    /** One import's state: counts, failures, the passphrase keys derived so far (by salt), the memories no key opened yet. */
    private final class Run implements AutoCloseable {
        final Map<String, String> keySources;
        final Keys keys;
        final Request request;
        final DataKey proven;
        final LongConsumer progress;
        final ExecutorService pool;
        final Map<String, byte[]> derived = new java.util.concurrent.ConcurrentHashMap<>();
        final List<LegacyMemory> unopened = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        long imported;
        long existing;
        long tombstones;
        long raised;
        long recovered;

        Run(Map<String, String> keySources, Keys keys, Request request, DataKey proven, LongConsumer progress) {
            this.keySources = keySources;
            this.keys = keys;
            this.request = request;
            this.proven = proven;
            this.progress = progress;
            this.pool = Executors.newFixedThreadPool(request.threads(), r -> {
                Thread t = new Thread(r, "legacy-import");
                t.setDaemon(true);
                return t;
            });
        }

        void importBatch(List<LegacyMemory> batch) {
            List<LegacyMemory> todo = new ArrayList<>();
            for (LegacyMemory m : batch) {
                if (alreadyHere(m)) {
                    existing++;
                    progress.accept(1);
                } else {
                    todo.add(m);
                }
            }
            List<Future<Opened>> opening = new ArrayList<>(todo.size());
            for (LegacyMemory m : todo) opening.add(pool.submit(() -> openReporting(m, Optional.empty())));
            List<Opened> opened = new ArrayList<>(todo.size());
            try {
                for (Future<Opened> f : opening) {
                    Opened o = f.get();
                    progress.accept(1);
                    if (o.failure == null) opened.add(o);
                    else if (o.retry) unopened.add(o.memory);
                    else failures.add(new Failure(o.memory.id(), o.failure));
                }
                store(opened);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "interrupted while opening legacy memories", e);
            } catch (ExecutionException e) {
                throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "opening a legacy memory failed", e.getCause());
            } finally {
                for (Opened o : opened) if (o.request != null) o.request.content().close();
            }
        }

        /**
         * The original's key cache sealed some passphrase memories under the key of another
         * memory's salt: each memory no key of its own opened is tried with every key derived in
         * this import (no new Argon2id run) before it is reported.
         */
        void retryWithOtherKeys() {
            List<Opened> opened = new ArrayList<>();
            try {
                for (LegacyMemory m : unopened) {
                    Opened o = null;
                    for (byte[] key : derived.values()) {
                        o = openReporting(m, Optional.of(key));
                        if (o.failure == null) break;
                    }
                    if (o != null && o.failure == null) {
                        opened.add(o);
                        recovered++;
                    } else {
                        failures.add(new Failure(m.id(), "no key opens it (the legacy passphrase with its salt, nor any key derived for"
                                + " another memory of this import, authenticates it)"));
                    }
                }
                store(opened);
            } finally {
                for (Opened o : opened) if (o.request != null) o.request.content().close();
            }
        }

        /** Stores what was opened, in one owner ceremony; if that fails, each alone, so one bad row is reported, not fatal. */
        private void store(List<Opened> opened) {
            if (opened.isEmpty()) return;
            if (request.dryRun()) {
                opened.forEach(this::counted);
                return;
            }
            try {
                owner.ceremony(proven, () -> opened.forEach(this::write));
                opened.forEach(this::counted);
            } catch (VaultException | IllegalArgumentException e) {
                if (opened.size() == 1) {
                    failures.add(new Failure(opened.get(0).memory.id(), "this vault refuses it: " + e.getMessage()));
                    return;
                }
                for (Opened o : opened) store(List.of(o));
            }
        }

        private void counted(Opened o) {
            imported++;
            if (o.memory.tombstoned()) tombstones++;
            if (o.raised) raised++;
            if (o.contentless != null) missing.add(o.memory.id());
        }

        private void write(Opened o) {
            Instant now = clock.instant();
            Memory bare = o.contentless;
            if (bare != null) {
                memories.insert(bare);
                audit.append(AuditEvent.of(AuditEvent.STORE, now).with("memory_id", bare.id().toString())
                        .with("classification", bare.classification().level()).with("profile", bare.profile().value())
                        .with("key_version", bare.keyVersion()).with("created_by", bare.createdBy())
                        .with("imported", SOURCE).with("content", "not exported"));
                audit.append(AuditEvent.of(AuditEvent.TOMBSTONE, now).with("memory_id", bare.id().toString())
                        .with("reason", CONTENT_MISSING).with("by", "legacy-import").with("shredded", true).with("imported", SOURCE));
                return;
            }
            store.executeAll(List.of(Objects.requireNonNull(o.request)));
            if (!o.memory.tombstoned()) return;
            Instant at = o.memory.tombstonedAt().flatMap(ImportLegacy::parseTime).orElse(now);
            String reason = o.memory.tombstoneReason().filter(r -> !r.isBlank() && r.length() <= 1024).orElse("tombstoned in the legacy vault");
            memories.tombstone(o.id, new Tombstone(at, reason, "legacy-import", false));
            audit.append(AuditEvent.of(AuditEvent.TOMBSTONE, now).with("memory_id", o.id.toString()).with("reason", reason)
                    .with("by", "legacy-import").with("shredded", false).with("imported", SOURCE));
        }

        /** Here already: by id, or brought by an earlier import and deleted since (purged), which a re-run must not bring back. */
        private boolean alreadyHere(LegacyMemory m) {
            Optional<MemoryId> id = parseId(m.id());
            if (id.isEmpty()) return false;
            if (memories.find(id.get()).isPresent()) return true;
            return auditStore.find(Optional.of(id.get().toString()), Optional.of(AuditEvent.STORE), 10).stream()
                    .anyMatch(e -> e.text().contains("\"imported\":\"" + SOURCE + "\""));
        }

        /** {@link #open}, with any refusal of a malformed row turned into a failure of that row. */
        private Opened openReporting(LegacyMemory m, Optional<byte[]> otherKey) {
            try {
                return open(m, otherKey);
            } catch (VaultException | IllegalArgumentException e) {
                return new Opened(m, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), false);
            }
        }

        private Opened open(LegacyMemory m, Optional<byte[]> otherKey) {
            Optional<MemoryId> id = parseId(m.id());
            if (id.isEmpty()) return new Opened(m, "its id is not a UUID", false);
            if (m.classification() < 0 || m.classification() > 5) {
                return new Opened(m, "its classification " + m.classification() + " is not 0-5", false);
            }
            Optional<Instant> created = parseTime(m.createdAt());
            if (created.isEmpty()) return new Opened(m, "its created_at is not a time", false);
            String keySource = keySources.getOrDefault(m.profile(), "unknown");
            // a passphrase memory's level is a column anyone who could write the legacy vault.db could lower, while its content
            // opened only with the passphrase: it comes over at a level only the owner opens, unless the owner vouches for it
            boolean raise = keySource.equals("HumanPassphrase") && m.classification() < 3 && !request.trustLegacyLevels();
            Classification level = Classification.ofLevel(raise ? 3 : m.classification());
            ProfileId target = request.profileMap().getOrDefault(m.profile(), request.fallback());
            String plainAuthor = m.createdBy().replaceAll("[^A-Za-z0-9._-]", "_");
            String author = "legacy:" + plainAuthor.substring(0, Math.min(plainAuthor.length(), 64));
            Metadata metadata = metadata(m);
            List<String> intents = m.intentRef().filter(s -> !s.isBlank()).map(List::of).orElse(List.of());
            Optional<byte[]> ciphertext = m.ciphertext();
            Optional<byte[]> nonce = m.nonce();
            if (ciphertext.isEmpty() || nonce.isEmpty()) {
                // a legacy backup leaves a non-exportable profile's content out: its metadata and state come over, as a shredded tombstone
                Tombstone gone = new Tombstone(m.tombstonedAt().flatMap(ImportLegacy::parseTime).orElse(clock.instant()), CONTENT_MISSING,
                        "legacy-import", true);
                return new Opened(m, new Memory(id.get(), created.get().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), author, level,
                        target, keyVersion(target), policy(m), metadata, intents, org.memoryvault.domain.model.ContentCommitment.SHREDDED,
                        Optional.empty(), Optional.of(gone), Optional.empty()), raise);
            }
            if (nonce.get().length != 24) return new Opened(m, "its nonce is not 24 bytes", false);
            byte[] key;
            boolean derivedHere = false;
            if (otherKey.isPresent()) {
                key = otherKey.get().clone();
            } else {
                switch (keySource) {
                    case "KeyFile" -> {
                        Optional<byte[]> k = keys.keyFile(m.profile());
                        if (k.isEmpty()) return new Opened(m, "no key file for legacy profile " + m.profile() + " (--keyfile-dir)", false);
                        key = k.get();
                    }
                    case "HumanPassphrase" -> {
                        Optional<SlotSecret> pass = keys.passphrase();
                        if (pass.isEmpty()) {
                            return new Opened(m, "legacy profile " + m.profile() + " needs its passphrase (--legacy-passphrase-file)", false);
                        }
                        Optional<byte[]> salt = m.salt();
                        if (salt.isEmpty() || salt.get().length != 16) return new Opened(m, "its salt is not 16 bytes", false);
                        String s = HexFormat.of().formatHex(salt.get());
                        byte[] cached = derived.get(s);
                        if (cached == null) {
                            cached = cipher.passphraseKey(pass.get(), salt.get());
                            byte[] raced = derived.putIfAbsent(s, cached);
                            if (raced != null) {
                                Arrays.fill(cached, (byte) 0);
                                cached = raced;
                            }
                        }
                        key = cached.clone();
                        derivedHere = true;
                    }
                    default -> {
                        return new Opened(m, "legacy profile " + m.profile() + " keeps its key in " + keySource + ", which cannot be imported", false);
                    }
                }
            }
            Optional<Plaintext> plain;
            try {
                plain = cipher.open(key, nonce.get(), ciphertext.get());
            } finally {
                Arrays.fill(key, (byte) 0);
            }
            if (plain.isEmpty()) {
                return new Opened(m, "no key opens it (the legacy " + keySource + " key does not authenticate it)", derivedHere);
            }
            Plaintext content = plain.get();
            if (!sha256(content).equals(m.contentHash())) {
                content.close();
                return new Opened(m, "its content does not match its content hash", false);
            }
            StoreMemory.Request r = new StoreMemory.Request(content, level, target, policy(m), metadata, intents, new Requester.Owner(),
                    Optional.of(new StoreMemory.Origin(id.get(), created.get(), author, SOURCE)));
            return new Opened(m, id.get(), r, raise);
        }

        @Override
        public void close() {
            pool.shutdownNow();
            for (byte[] k : derived.values()) Arrays.fill(k, (byte) 0);
            derived.clear();
        }
    }

    /**
     * A legacy memory opened and ready to store, one without content to insert as is
     * ({@code contentless}), or why not ({@code failure}; {@code retry} when only its own
     * passphrase key failed to open it). {@code raised}: stored above its legacy level.
     */
    private static final class Opened {
        final LegacyMemory memory;
        final MemoryId id;
        final StoreMemory.@Nullable Request request;
        final @Nullable Memory contentless;
        final @Nullable String failure;
        final boolean retry;
        final boolean raised;

        Opened(LegacyMemory memory, MemoryId id, StoreMemory.Request request, boolean raised) {
            this.memory = memory;
            this.id = id;
            this.request = request;
            this.contentless = null;
            this.failure = null;
            this.retry = false;
            this.raised = raised;
        }

        Opened(LegacyMemory memory, Memory contentless, boolean raised) {
            this.memory = memory;
            this.id = contentless.id();
            this.request = null;
            this.contentless = contentless;
            this.failure = null;
            this.retry = false;
            this.raised = raised;
        }

        @SuppressWarnings("NullAway")
        Opened(LegacyMemory memory, String failure, boolean retry) {
            this.memory = memory;
            this.id = null;
            this.request = null;
            this.contentless = null;
            this.failure = failure;
            this.retry = retry;
            this.raised = false;
        }
    }

    private int keyVersion(ProfileId profile) {
        return profiles.find(profile).map(org.memoryvault.domain.model.Profile::keyVersion).orElseThrow(() ->
                new org.memoryvault.domain.error.NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile " + profile));
    }

    /** The {@code cooldown_seconds} of the access_policy object's top level (the only field the original reads). */
    private static AccessPolicy policy(LegacyMemory m) {
        String text = m.accessPolicy().orElse("");
        Matcher c = COOLDOWN.matcher(text);
        while (c.find()) {
            if (depthAt(text, c.start()) == 1) {
                return new AccessPolicy(new Cooldown(Duration.ofSeconds(Math.min(Long.parseLong(c.group(1)), MAX_COOLDOWN_SECONDS))));
            }
        }
        return AccessPolicy.DEFAULT;
    }

    /** How deep in JSON objects and arrays {@code at} is (strings skipped). */
    private static int depthAt(String json, int at) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < at; i++) {
            char ch = json.charAt(i);
            if (inString) {
                if (ch == '\\') i++;
                else if (ch == '"') inString = false;
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
            }
        }
        return depth;
    }

    /** The legacy JSON object as is; {@code null} as none; any other JSON kept under {@code legacy_metadata}. */
    private static Metadata metadata(LegacyMemory m) {
        String text = m.metadata().map(String::strip).orElse("null");
        if (text.equals("null") || text.isEmpty()) return Metadata.EMPTY;
        try {
            return new Metadata(text);
        } catch (InvalidInputException notAnObject) {
            try {
                return new Metadata("{\"legacy_metadata\":" + quote(text) + "}");
            } catch (InvalidInputException tooLarge) {
                // the original had no limit: the memory comes over, its metadata does not
                return new Metadata("{\"legacy_metadata_omitted\":\"" + text.length() + " characters, more than this vault keeps\"}");
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static Optional<MemoryId> parseId(String text) {
        try {
            return Optional.of(MemoryId.parse(text));
        } catch (VaultException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Python {@code isoformat()} of a UTC time, with the original's stray {@code Z} after the offset on some columns. */
    static Optional<Instant> parseTime(String text) {
        String t = text.endsWith("+00:00Z") ? text.substring(0, text.length() - 1) : text;
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String sha256(Plaintext p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(p.revealForCrypto()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
