package org.memoryvault.domain.usecase;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.BackupRecord;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.TableSummary;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BackupCipher;
import org.memoryvault.domain.port.BackupRows;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Backups of the vault (docs/FORMAT.md §14): one encrypted, authenticated file holding every row
 * of the database (keys only as wrapped in their slots, never unwrapped) and the vault's own files
 * (config.toml, the audit signing keys), written as a stream so memory stays bounded; or, for an
 * incremental, the rows changed since its parent backup, which it names by its file's SHA-256.
 * Reading a backup checks every chunk's authentication, the record structure and the final count
 * before it reports anything as good.
 */
public final class Backups {
    static final String FIRST_LINE = "memory-vault backup v1";

    /**
     * What a backup holds, from its header and its records; {@code protection} is {@code passphrase}
     * or {@code age}; {@code signer} the hex public key whose signature of the backup verified (the
     * owner's seal key, for a backup this version made), empty for a backup without one; {@code kind}
     * {@code full} or {@code incremental}; {@code sha256} the SHA-256 of the whole file (hex), by
     * which an incremental names its {@code parent}; {@code rows} counts row and deletion records
     * ({@code deletions} the latter); {@code tables} each table's row count and key digest when the
     * backup was made (empty for a backup made before schema 10).
     */
    public record Summary(String backupId, String vaultId, Instant createdAt, int schema, String kind, Optional<String> description,
                          long rows, long files, Map<String, Long> rowsByTable, String protection, Optional<String> signer,
                          String sha256, Optional<String> parent, long deletions, Map<String, TableSummary> tables) {
        public Summary {
            rowsByTable = Map.copyOf(rowsByTable);
            tables = Map.copyOf(tables);
        }

        public boolean incremental() { return kind.equals(INCREMENTAL); }
    }

    static final String FULL = "full";
    static final String INCREMENTAL = "incremental";

    /**
     * How a new backup is encrypted: under its own passphrase (Argon2id at the vault's
     * {@code kdf.preset}), or to age X25519 recipients, which needs no secret when the backup is made.
     */
    public sealed interface Protection {
        /** Under a backup passphrase (the passphrase rule applies); the caller closes it. */
        record Passphrase(SlotSecret passphrase) implements Protection {
            public Passphrase { Objects.requireNonNull(passphrase, "passphrase"); }
        }

        /** To age X25519 recipients ({@code age1...}, public keys). */
        record Recipients(List<String> recipients) implements Protection {
            public Recipients { recipients = List.copyOf(recipients); }
        }
    }

    /** What opens a backup: its passphrase, or an age identity file's text; the caller closes the secret. */
    public sealed interface Opener {
        record Passphrase(SlotSecret passphrase) implements Opener {
            public Passphrase { Objects.requireNonNull(passphrase, "passphrase"); }
        }

        record Identities(SlotSecret identityFile) implements Opener {
            public Identities { Objects.requireNonNull(identityFile, "identityFile"); }
        }
    }

    /**
     * The rows of a backup being read, with what its header says: the vault, the schema version,
     * the kind and, for an incremental, its parent's SHA-256 (hex). An incremental's records are
     * rows and deletions ({@link BackupRows#applyChanges}).
     */
    public record Rows(String vaultId, int schema, String kind, Optional<String> parent, Iterator<BackupRecord> records) {}

    private static final byte[] SIGNED_MAGIC = {'M', 'V', 'B', 'S', 1};

    private final BackupRows rows;
    private final BackupCipher cipher;
    private final org.memoryvault.domain.port.Sealer sealer;
    private final VaultStateRepository state;
    private final VaultSettings settings;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final RandomGenerator random;

    public Backups(BackupRows rows, BackupCipher cipher, org.memoryvault.domain.port.Sealer sealer, VaultStateRepository state,
                   VaultSettings settings, AuditLog audit, Transactions tx, Clock clock, RandomGenerator random) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Writes a full backup to {@code out}: the header, then {@code files} (read when the database
     * snapshot is fixed), then every row, then the end record; audited as {@code backup.create}
     * with who made it ({@code by}) and how it is protected. Before the end record, the owner signs
     * the header and every record with the owner's seal key ({@code ownerKey}, which the caller
     * proved), so a restore can tell the owner's backup from a file someone else wrote with the
     * same passphrase or to the same public recipient. A backup passphrase must meet the
     * passphrase policy. The caller closes {@code out}, the passphrase and the key.
     *
     * <p>With {@code incremental}, the rows are only what changed after the newest backup this
     * database made or was restored from (its parent, named in the header by the SHA-256 of its
     * file): each changed row as it is now and a deletion for each key that is gone; without a
     * parent, {@code INPUT_STATE}. Either kind ends with every table's row count, and becomes the
     * parent of the next incremental.
     */
    public Summary create(OutputStream out, Protection protection, Optional<String> description,
                          java.util.function.Supplier<List<BackupRecord>> files, String by, org.memoryvault.domain.model.DataKey ownerKey,
                          boolean incremental) {
        if (!ownerKey.isOwner()) {
            throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "a backup is signed with the owner"
                    + " key, which this profile does not have (made before key tiers): run `vault profile upgrade` first");
        }
        if (protection instanceof Protection.Passphrase p) org.memoryvault.domain.policy.PassphrasePolicy.requireAcceptable(p.passphrase());
        description.ifPresent(d -> {
            // one line in every reader: no control characters, and none of the separators some split lines at (U+0085, U+2028, U+2029)
            if (d.length() > 1024 || d.chars().anyMatch(c -> (Character.isISOControl(c) && c != '\t') || c == 0x2028 || c == 0x2029)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a backup description is at most 1024 characters, on one line");
            }
        });
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        Instant now = clock.instant();
        String vaultId = state.vaultId().orElse("");
        Map<String, Long> byTable = new LinkedHashMap<>();
        Optional<BackupRows.ChainPoint> parent = incremental ? Optional.of(rows.chainPoint().orElseThrow(() -> new InvalidInputException(
                ErrorCode.INPUT_STATE, "no backup to follow: this vault has not made a backup (or been restored from one)"
                + " since schema 10; make a full backup first"))) : Optional.empty();
        parent.ifPresent(p -> {
            if (!sealer.verifySignature(sealer.ownerSealKey(ownerKey), chainMessage(p.backupId(), p.sha256Hex(), p.changeSeq()),
                            java.util.HexFormat.of().parseHex(p.signatureHex()))) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the record of the newest backup (backup_chain) was changed"
                        + " outside the vault, so an incremental after it could leave changes out or name the wrong parent: make a full"
                        + " backup", null);
            }
        });
        byte[] header = header(id, vaultId, now, rows.schemaVersion(), description, parent);
        BackupRows.Exported exported;
        long[] fileCount = {0};
        String how = protection instanceof Protection.Passphrase ? "passphrase" : "age";
        java.security.MessageDigest digest = signedDigest(header);
        byte[] signerKey = sealer.ownerSealKey(ownerKey);
        long[] deletions = {0};
        java.security.MessageDigest fileHash = sha256();
        OutputStream hashed = new java.security.DigestOutputStream(out, fileHash);
        try (BackupCipher.Writer w = protection instanceof Protection.Passphrase p
                ? cipher.create(hashed, header, p.passphrase(), settings.kdfPreset().parameters())
                : cipher.createForRecipients(hashed, header, ((Protection.Recipients) protection).recipients())) {
            exported = rows.export(files, parent.map(c -> java.util.OptionalLong.of(c.changeSeq())).orElse(java.util.OptionalLong.empty()), r -> {
                if (r.kind() == BackupRecord.Kind.FILE) {
                    fileCount[0]++;
                } else {
                    byTable.merge(r.name(), 1L, Long::sum);
                    if (r.kind() == BackupRecord.Kind.DELETE) deletions[0]++;
                }
                byte[] encoded = r.encode();
                addRecord(digest, encoded);
                w.write(encoded);
            });
            byte[] summary = BackupRecord.summary(exported.tables()).encode();
            addRecord(digest, summary);
            w.write(summary);
            byte[] signature = sealer.signAsOwner(ownerKey, signedMessage(digest));
            w.write(BackupRecord.signature(signerKey, signature).encode());
            w.write(BackupRecord.end(exported.records(), fileCount[0]).encode());
            w.finish();
        }
        try {
            hashed.flush();
        } catch (java.io.IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot write the backup: " + e.getMessage());
        }
        String sha256 = java.util.HexFormat.of().formatHex(fileHash.digest());
        String kind = incremental ? INCREMENTAL : FULL;
        AuditEvent event = AuditEvent.of(AuditEvent.BACKUP_CREATE, now).with("backup_id", id).with("kind", kind)
                .with("rows", exported.records()).with("files", fileCount[0]).with("by", by).with("protection", how).with("sha256", sha256);
        AuditEvent withParent = parent.isPresent() ? event.with("parent", parent.get().sha256Hex()).with("deletions", deletions[0]) : event;
        AuditEvent recorded = protection instanceof Protection.Recipients r
                ? withParent.with("recipients", String.join(" ", r.recipients().stream().map(String::strip).toList())) : withParent;
        tx.run(() -> {
            rows.setChainPoint(signedPoint(ownerKey, id, sha256, exported.changeSeq()), now);
            audit.append(recorded);
        });
        return new Summary(id, vaultId, now, rows.schemaVersion(), kind, description, exported.records(), fileCount[0], byTable, how,
                Optional.of(java.util.HexFormat.of().formatHex(signerKey)), sha256, parent.map(BackupRows.ChainPoint::sha256Hex),
                deletions[0], exported.tables());
    }

    /**
     * Reads a backup: every file record goes to {@code files} (in the order written, before any
     * row), then {@code rowSink} gets an iterator over the rows, which it must read to the end (a
     * verification counts them; a restore inserts them). Only after the final chunk and a matching
     * end record is the summary returned: anything else throws, from inside {@code rowSink}'s
     * iteration where the damage is, so a restore's transaction rolls back.
     */
    public Summary read(InputStream in, Opener opener, Consumer<BackupRecord> files, Function<Rows, Long> rowSink) {
        return read(cipher, sealer, in, opener, files, rowSink);
    }

    /**
     * {@link #read(InputStream, Opener, Consumer, Function)} without a vault (a restore reads before
     * its vault exists). A signature record must verify under the key it names; whose key that is,
     * {@link #requireSignedBy} decides once the owner is known.
     */
    public static Summary read(BackupCipher cipher, org.memoryvault.domain.port.Sealer sealer, InputStream in, Opener opener,
                               Consumer<BackupRecord> files, Function<Rows, Long> rowSink) {
        java.security.MessageDigest fileHash = sha256();
        InputStream hashed = new java.security.DigestInputStream(in, fileHash);
        try (BackupCipher.Reader reader = cipher.read(hashed)) {
            if (!reader.forRecipients()) Header.parse(reader.header());       // a passphrase file: its header before any Argon2id run
            if (opener instanceof Opener.Passphrase p) reader.open(p.passphrase());
            else reader.openWithIdentities(((Opener.Identities) opener).identityFile());
            Header h = Header.parse(reader.header());
            Map<String, Long> byTable = new LinkedHashMap<>();
            long[] fileCount = {0};
            Records records = new Records(reader, files, fileCount, byTable, sealer, signedDigest(reader.header()));
            long imported = rowSink.apply(new Rows(h.vault, h.schema, h.kind, h.parent, records));
            BackupRecord end = records.end();
            if (end.rows() != records.rowsSeen || end.files() != fileCount[0] || imported != records.rowsSeen) {
                throw tampered("its end record counts " + end.rows() + " rows and " + end.files() + " files; it holds "
                        + records.rowsSeen + " and " + fileCount[0]);
            }
            if (reader.next().isPresent()) throw tampered("records follow its end record");
            try {
                if (hashed.read() != -1) throw tampered("bytes follow its end");
            } catch (java.io.IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read the backup: " + e.getMessage());
            }
            if (h.kind.equals(INCREMENTAL) && records.summary.isEmpty()) throw tampered("an incremental without its summary");
            return new Summary(h.id, h.vault, h.created, h.schema, h.kind, h.description, records.rowsSeen, fileCount[0], byTable,
                    reader.forRecipients() ? "age" : "passphrase", records.signer, java.util.HexFormat.of().formatHex(fileHash.digest()),
                    h.parent, records.deletions, records.summary);
        }
    }

    /**
     * Requires the backup to be signed by the owner whose key is {@code ownerKey} (their seal key):
     * a backup without a signature only with {@code allowUnsigned} (one made before backups were
     * signed), and one signed by another key never ({@code INTEGRITY_TAMPERED}).
     */
    public void requireSignedBy(Summary s, org.memoryvault.domain.model.DataKey ownerKey, boolean allowUnsigned) {
        String owner = java.util.HexFormat.of().formatHex(sealer.ownerSealKey(ownerKey));
        if (s.signer().isEmpty()) {
            // every incremental was made after backups were signed: an unsigned one was written by someone else
            if (allowUnsigned && !s.incremental()) return;
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup carries no owner signature (made before backups"
                    + " were signed, or its signature was taken out): restore it with --allow-unsigned only if you know where it"
                    + " comes from", null);
        }
        if (!s.signer().get().equals(owner)) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup is signed by another key than the owner's"
                    + " (someone else wrote it, with its passphrase or to its public recipient)", null);
        }
    }

    /** SHA-256 over the header and then each record before the signature, each as u32be length || bytes (FORMAT.md §14). */
    private static java.security.MessageDigest signedDigest(byte[] header) {
        java.security.MessageDigest d = sha256();
        addRecord(d, header);
        return d;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new org.memoryvault.domain.error.InternalVaultException(ErrorCode.INTERNAL_ERROR, "no SHA-256 in this JDK", e);
        }
    }

    private static void addRecord(java.security.MessageDigest d, byte[] bytes) {
        d.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
        d.update(bytes);
    }

    /** What the owner signs: "MVBS" || 0x01 || the digest. */
    private static byte[] signedMessage(java.security.MessageDigest d) {
        byte[] digest = d.digest();
        byte[] m = java.util.Arrays.copyOf(SIGNED_MAGIC, SIGNED_MAGIC.length + digest.length);
        System.arraycopy(digest, 0, m, SIGNED_MAGIC.length, digest.length);
        return m;
    }

    /**
     * Refuses a backup that does not come next: the first must be full, each next an incremental
     * whose parent is the previous file (by SHA-256), of the same vault and schema
     * ({@code INPUT_INVALID}: the files are out of order, one is missing, or one is from elsewhere).
     */
    public static void requireFollows(Optional<Summary> before, String kind, String vaultId, int schema, Optional<String> parent) {
        if (before.isEmpty()) {
            if (!kind.equals(FULL)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an incremental backup restores only after its parent:"
                        + " give the full backup first, then each incremental in the order they were made");
            }
            return;
        }
        Summary b = before.get();
        if (!kind.equals(INCREMENTAL)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "only incrementals follow the first backup of a restore");
        }
        if (!vaultId.equals(b.vaultId()) || schema != b.schema()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an incremental of another vault or schema than the backup before it");
        }
        if (!parent.equals(Optional.of(b.sha256()))) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the chain is broken: an incremental's parent is not the file"
                    + " before it (sha256 " + b.sha256().substring(0, 16) + "...; it names " + parent.map(p -> p.substring(0, 16) + "...")
                    .orElse("none") + "): give the full backup, then each incremental in the order they were made, none left out");
        }
    }

    /**
     * Appends the {@code backup.restore} event to the vault a chain of backups (a full one, then
     * its incrementals) was just restored into, and makes the last of them the parent of the next
     * incremental, at the change sequence the restored database has reached.
     */
    public long recordRestore(List<Summary> chain, org.memoryvault.domain.model.DataKey ownerKey) {
        Summary last = chain.get(chain.size() - 1);
        return tx.inTransaction(() -> {
            rows.setChainPoint(signedPoint(ownerKey, last.backupId(), last.sha256(), rows.changeSeq()), clock.instant());
            AuditEvent e = AuditEvent.of(AuditEvent.BACKUP_RESTORE, clock.instant()).with("backup_id", last.backupId())
                    .with("rows", chain.stream().mapToLong(Summary::rows).sum()).with("files", last.files()).with("sha256", last.sha256());
            return audit.append(chain.size() == 1 ? e
                    : e.with("chain", String.join(" ", chain.stream().map(Summary::backupId).toList())));
        });
    }

    /**
     * Checks what a restore built against the summary the last backup of the chain carries: every
     * table must hold as many rows, with the same keys ({@code INTEGRITY_TAMPERED} otherwise: a
     * change the chain does not carry). A backup made before schema 10 has no summary to check.
     */
    public static void requireSummary(Summary last, Map<String, TableSummary> built) {
        for (var e : last.tables().entrySet()) {
            TableSummary got = built.get(e.getKey());
            if (got == null || got.rows() != e.getValue().rows()) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the restored vault holds " + (got == null ? 0 : got.rows())
                        + " rows of " + e.getKey() + " where the backup's vault held " + e.getValue().rows()
                        + " (a change is missing from the chain)", null);
            }
            if (!got.keyDigest().equals(e.getValue().keyDigest())) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the restored vault holds other rows of " + e.getKey()
                        + " than the backup's vault did (as many, other keys: a change is missing from the chain)", null);
            }
        }
    }

    /** The owner's signature of a chain point: {@code "MVBC" || 0x01 || SHA-256(backup id || 0x00 || sha256 || i64be change_seq)}. */
    private BackupRows.ChainPoint signedPoint(org.memoryvault.domain.model.DataKey ownerKey, String backupId, String sha256Hex, long changeSeq) {
        byte[] signature = sealer.signAsOwner(ownerKey, chainMessage(backupId, sha256Hex, changeSeq));
        return new BackupRows.ChainPoint(backupId, sha256Hex, changeSeq, java.util.HexFormat.of().formatHex(signature));
    }

    private static byte[] chainMessage(String backupId, String sha256Hex, long changeSeq) {
        java.security.MessageDigest d = sha256();
        d.update(backupId.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(java.util.HexFormat.of().parseHex(sha256Hex));
        d.update(java.nio.ByteBuffer.allocate(8).putLong(changeSeq).array());
        return java.nio.ByteBuffer.allocate(5 + 32).put(new byte[] {'M', 'V', 'B', 'C', 1}).put(d.digest()).array();
    }

    /** Rows from the reader, files handed off as they come; stops at the end record. */
    private static final class Records implements Iterator<BackupRecord> {
        private final BackupCipher.Reader reader;
        private final Consumer<BackupRecord> files;
        private final long[] fileCount;
        private final Map<String, Long> byTable;
        private final org.memoryvault.domain.port.Sealer sealer;
        private final java.security.MessageDigest digest;
        private @Nullable BackupRecord pending;
        private @Nullable BackupRecord end;
        Optional<String> signer = Optional.empty();
        Map<String, TableSummary> summary = Map.of();
        long rowsSeen;
        long deletions;

        Records(BackupCipher.Reader reader, Consumer<BackupRecord> files, long[] fileCount, Map<String, Long> byTable,
                org.memoryvault.domain.port.Sealer sealer, java.security.MessageDigest digest) {
            this.reader = reader;
            this.files = files;
            this.fileCount = fileCount;
            this.byTable = byTable;
            this.sealer = sealer;
            this.digest = digest;
        }

        @Override
        public boolean hasNext() {
            while (pending == null && end == null) {
                byte[] raw = reader.next().orElseThrow(() -> tampered("it ends before its end record"));
                BackupRecord r = BackupRecord.decode(raw);
                if (signer.isPresent() && r.kind() != BackupRecord.Kind.END) throw tampered("records follow its signature");
                switch (r.kind()) {
                    case FILE -> {
                        if (rowsSeen > 0) throw tampered("a file record follows the rows");
                        addRecord(digest, raw);
                        fileCount[0]++;
                        files.accept(r);
                    }
                    case ROW, DELETE -> {
                        if (!summary.isEmpty()) throw tampered("rows follow its summary");
                        addRecord(digest, raw);
                        pending = r;
                    }
                    case SUMMARY -> {
                        if (!summary.isEmpty()) throw tampered("two summaries");
                        addRecord(digest, raw);
                        summary = r.tables();
                    }
                    case SIGNATURE -> {
                        if (!sealer.verifySignature(r.signerKey(), signedMessage(digest), r.signature())) {
                            throw tampered("its signature does not verify (a record was changed, added or taken out)");
                        }
                        signer = Optional.of(java.util.HexFormat.of().formatHex(r.signerKey()));
                    }
                    case END -> end = r;
                }
            }
            return pending != null;
        }

        @Override
        public BackupRecord next() {
            if (!hasNext()) throw new NoSuchElementException();
            BackupRecord r = Objects.requireNonNull(pending);
            pending = null;
            rowsSeen++;
            if (r.kind() == BackupRecord.Kind.DELETE) deletions++;
            byTable.merge(r.name(), 1L, Long::sum);
            return r;
        }

        BackupRecord end() {
            while (hasNext()) next();        // a sink that stopped early: the rest is still read and checked
            return Objects.requireNonNull(end);
        }
    }

    private static byte[] header(String id, String vault, Instant at, int schema, Optional<String> description,
                                 Optional<BackupRows.ChainPoint> parent) {
        StringBuilder b = new StringBuilder(FIRST_LINE).append('\n');
        b.append("id ").append(id).append('\n');
        b.append("vault ").append(vault).append('\n');
        b.append("created ").append(at.toEpochMilli()).append('\n');
        b.append("schema ").append(schema).append('\n');
        b.append("kind ").append(parent.isPresent() ? INCREMENTAL : FULL).append('\n');
        parent.ifPresent(p -> b.append("parent ").append(p.sha256Hex()).append('\n').append("parent-id ").append(p.backupId()).append('\n'));
        description.ifPresent(d -> b.append("description ").append(d).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The header's lines (FORMAT.md §14). */
    private record Header(String id, String vault, Instant created, int schema, String kind, Optional<String> description,
                          Optional<String> parent) {
        static Header parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            if (lines.length < 7 || !lines[0].equals(FIRST_LINE) || !lines[lines.length - 1].isEmpty()
                    || !(text.contains("\nkind full\n") || text.contains("\nkind incremental\n"))) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not a Memory Vault backup of a format this version reads");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < lines.length - 1; i++) {
                int space = lines[i].indexOf(' ');
                if (space < 1 || fields.put(lines[i].substring(0, space), lines[i].substring(space + 1)) != null) {
                    throw tampered("its header is malformed");
                }
            }
            String kind = field(fields, "kind");
            Optional<String> parent = Optional.ofNullable(fields.get("parent"));
            if (kind.equals(INCREMENTAL) != parent.isPresent() || !parent.map(p -> p.matches("[0-9a-f]{64}")).orElse(true)) {
                throw tampered("its header is malformed");
            }
            try {
                return new Header(field(fields, "id"), field(fields, "vault"), Instant.ofEpochMilli(Long.parseLong(field(fields, "created"))),
                        Integer.parseInt(field(fields, "schema")), kind, Optional.ofNullable(fields.get("description")), parent);
            } catch (NumberFormatException e) {
                throw tampered("its header is malformed");
            }
        }

        private static String field(Map<String, String> fields, String name) {
            String v = fields.get(name);
            if (v == null) throw tampered("its header has no " + name);
            return v;
        }
    }

    private static IntegrityException tampered(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup is damaged: " + what, null);
    }
}
