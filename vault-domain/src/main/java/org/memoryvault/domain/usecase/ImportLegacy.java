package org.memoryvault.domain.usecase;

import java.nio.charset.StandardCharsets;
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

    /** Legacy profiles to profiles of this vault (the rest go to {@code fallback}); {@code threads} for Argon2id. */
    public record Request(Map<String, ProfileId> profileMap, ProfileId fallback, boolean dryRun, int threads) {
        public Request {
            profileMap = Map.copyOf(profileMap);
            Objects.requireNonNull(fallback, "fallback");
            if (threads < 1) throw new IllegalArgumentException("threads < 1");
        }
    }

    /** A memory not imported, and why. */
    public record Failure(String memoryId, String reason) {}

    /** What the import did (or, dry, would do). */
    public record Report(long memories, long imported, long existing, List<Failure> failures, long tombstones, long recalls,
                         long recallsAlreadyImported, Optional<String> legacyRoot, long leaves, boolean dryRun) {
        public Report {
            failures = List.copyOf(failures);
        }
    }

    static final String SOURCE = "legacy";
    private static final int BATCH = 32;
    private static final Pattern COOLDOWN = Pattern.compile("\"cooldown_seconds\"\\s*:\\s*(\\d{1,9})\\b");
    private static final Pattern PREVIOUS = Pattern.compile("\"leaves\":(\\d+).*\"legacy_root\":\"([0-9a-f]{64})\"");

    private final MemoryRepository memories;
    private final StoreMemory store;
    private final OwnerProof owner;
    private final AuditLog audit;
    private final AuditStore auditStore;
    private final LegacyCipher cipher;
    private final Clock clock;

    public ImportLegacy(MemoryRepository memories, StoreMemory store, OwnerProof owner, AuditLog audit, AuditStore auditStore,
                        LegacyCipher cipher, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
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

        long[] counts = new long[3];          // imported, existing, tombstones
        List<Failure> failures = new ArrayList<>();
        List<LegacyMemory> batch = new ArrayList<>(BATCH);
        ExecutorService pool = Executors.newFixedThreadPool(request.threads(), r -> {
            Thread t = new Thread(r, "legacy-import");
            t.setDaemon(true);
            return t;
        });
        try {
            source.forEachMemory(m -> {
                batch.add(m);
                if (batch.size() == BATCH) {
                    importBatch(batch, keySources, keys, request, proven, pool, counts, failures, progress);
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) importBatch(batch, keySources, keys, request, proven, pool, counts, failures, progress);
        } finally {
            pool.shutdownNow();
        }

        long already = alreadyImported(leaves);
        List<LegacyVault.Recall> fresh = recalls.subList((int) already, recalls.size());
        Report report = new Report(source.memoryCount(), counts[0], counts[1], failures, counts[2], fresh.size(), already, root,
                leaves.size(), request.dryRun());
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
                        .with("imported", report.imported()).with("existing", report.existing()).with("failed", failures.size())
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

    private void importBatch(List<LegacyMemory> batch, Map<String, String> keySources, Keys keys, Request request, DataKey proven,
                             ExecutorService pool, long[] counts, List<Failure> failures, LongConsumer progress) {
        List<LegacyMemory> todo = new ArrayList<>();
        for (LegacyMemory m : batch) {
            Optional<MemoryId> id = parseId(m.id());
            if (id.isPresent() && memories.find(id.get()).isPresent()) {
                counts[1]++;
                progress.accept(1);
            } else {
                todo.add(m);
            }
        }
        List<Future<Opened>> opening = new ArrayList<>(todo.size());
        for (LegacyMemory m : todo) opening.add(pool.submit(() -> open(m, keySources, keys, request)));
        List<Opened> opened = new ArrayList<>(todo.size());
        try {
            for (Future<Opened> f : opening) {
                Opened o = f.get();
                progress.accept(1);
                if (o.failure != null) failures.add(new Failure(o.memory.id(), o.failure));
                else opened.add(o);
            }
            if (opened.isEmpty() || request.dryRun()) {
                counts[0] += opened.size();
                counts[2] += opened.stream().filter(o -> o.memory.tombstoned()).count();
                return;
            }
            owner.ceremony(proven, () -> {
                List<StoreMemory.Request> requests = opened.stream().map(o -> o.request).toList();
                store.executeAll(requests);
                Instant now = clock.instant();
                for (Opened o : opened) {
                    if (!o.memory.tombstoned()) continue;
                    Instant at = o.memory.tombstonedAt().flatMap(ImportLegacy::parseTime).orElse(now);
                    String reason = o.memory.tombstoneReason().filter(r -> !r.isBlank()).orElse("tombstoned in the legacy vault");
                    memories.tombstone(o.id, new Tombstone(at, reason, "legacy-import", false));
                    audit.append(AuditEvent.of(AuditEvent.TOMBSTONE, now).with("memory_id", o.id.toString()).with("reason", reason)
                            .with("by", "legacy-import").with("shredded", false).with("imported", SOURCE));
                }
            });
            counts[0] += opened.size();
            counts[2] += opened.stream().filter(o -> o.memory.tombstoned()).count();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "interrupted while opening legacy memories", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VaultException v) throw v;
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "opening a legacy memory failed", e.getCause());
        } finally {
            for (Opened o : opened) o.request.content().close();
        }
    }

    /** A legacy memory opened and ready to store, or why not ({@code failure}). */
    private static final class Opened {
        final LegacyMemory memory;
        final MemoryId id;
        final StoreMemory.Request request;
        final @org.jspecify.annotations.Nullable String failure;

        Opened(LegacyMemory memory, MemoryId id, StoreMemory.Request request) {
            this.memory = memory;
            this.id = id;
            this.request = request;
            this.failure = null;
        }

        @SuppressWarnings("NullAway")
        Opened(LegacyMemory memory, String failure) {
            this.memory = memory;
            this.id = null;
            this.request = null;
            this.failure = failure;
        }
    }

    private Opened open(LegacyMemory m, Map<String, String> keySources, Keys keys, Request request) {
        Optional<MemoryId> id = parseId(m.id());
        if (id.isEmpty()) return new Opened(m, "its id is not a UUID");
        if (m.classification() < 0 || m.classification() > 5) return new Opened(m, "its classification " + m.classification() + " is not 0-5");
        Optional<Instant> created = parseTime(m.createdAt());
        if (created.isEmpty()) return new Opened(m, "its created_at is not a time: " + m.createdAt());
        if (m.ciphertext().isEmpty() || m.nonce().isEmpty()) {
            return new Opened(m, "its content is not in the legacy vault (a backup of a non-exportable profile, or damage)");
        }
        String keySource = keySources.getOrDefault(m.profile(), "unknown");
        byte[] key;
        switch (keySource) {
            case "KeyFile" -> {
                Optional<byte[]> k = keys.keyFile(m.profile());
                if (k.isEmpty()) return new Opened(m, "no key file for legacy profile " + m.profile() + " (--keyfile-dir)");
                key = k.get();
            }
            case "HumanPassphrase" -> {
                Optional<SlotSecret> pass = keys.passphrase();
                if (pass.isEmpty()) return new Opened(m, "legacy profile " + m.profile() + " needs its passphrase (--legacy-passphrase-file)");
                if (m.salt().isEmpty()) return new Opened(m, "a passphrase memory without its salt");
                key = cipher.passphraseKey(pass.get(), m.salt().get());
            }
            default -> {
                return new Opened(m, "legacy profile " + m.profile() + " keeps its key in " + keySource + ", which cannot be imported");
            }
        }
        Optional<Plaintext> plain;
        try {
            plain = cipher.open(key, m.nonce().get(), m.ciphertext().get());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        if (plain.isEmpty()) {
            return new Opened(m, "no key opens it (the legacy " + keySource + " key does not authenticate it)");
        }
        Plaintext content = plain.get();
        if (!sha256(content).equals(m.contentHash())) {
            content.close();
            return new Opened(m, "its content does not match its content hash");
        }
        ProfileId target = request.profileMap().getOrDefault(m.profile(), request.fallback());
        StoreMemory.Request r = new StoreMemory.Request(content, Classification.ofLevel(m.classification()), target, policy(m),
                metadata(m), m.intentRef().filter(s -> !s.isBlank()).map(List::of).orElse(List.of()), new Requester.Owner(),
                Optional.of(new StoreMemory.Origin(id.get(), created.get(), m.createdBy(), SOURCE)));
        return new Opened(m, id.get(), r);
    }

    private static AccessPolicy policy(LegacyMemory m) {
        Matcher c = COOLDOWN.matcher(m.accessPolicy().orElse(""));
        return c.find() ? new AccessPolicy(new Cooldown(Duration.ofSeconds(Long.parseLong(c.group(1))))) : AccessPolicy.DEFAULT;
    }

    /** The legacy JSON object as is; {@code null} as none; any other JSON kept under {@code legacy_metadata}. */
    private static Metadata metadata(LegacyMemory m) {
        String text = m.metadata().map(String::strip).orElse("null");
        if (text.equals("null") || text.isEmpty()) return Metadata.EMPTY;
        try {
            return new Metadata(text);
        } catch (InvalidInputException notAnObject) {
            return new Metadata("{\"legacy_metadata\":" + quote(text) + "}");
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

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
