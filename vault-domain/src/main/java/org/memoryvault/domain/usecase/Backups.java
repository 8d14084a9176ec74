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
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BackupCipher;
import org.memoryvault.domain.port.BackupRows;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Full backups of the vault (docs/FORMAT.md §14): one encrypted, authenticated file holding every
 * row of the database (keys only as wrapped in their slots, never unwrapped) and the vault's own
 * files (config.toml, the audit signing keys), written as a stream so memory stays bounded.
 * Reading a backup checks every chunk's authentication, the record structure and the final count
 * before it reports anything as good.
 */
public final class Backups {
    static final String FIRST_LINE = "memory-vault backup v1";

    /**
     * What a backup holds, from its header and its records; {@code protection} is {@code passphrase}
     * or {@code age}; {@code signer} the hex public key whose signature of the backup verified (the
     * owner's seal key, for a backup this version made), empty for a backup without one.
     */
    public record Summary(String backupId, String vaultId, Instant createdAt, int schema, String kind, Optional<String> description,
                          long rows, long files, Map<String, Long> rowsByTable, String protection, Optional<String> signer) {
        public Summary {
            rowsByTable = Map.copyOf(rowsByTable);
        }
    }

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

    /** The rows of a backup being read, with the schema version its header names. */
    public record Rows(int schema, Iterator<BackupRecord> records) {}

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
     */
    public Summary create(OutputStream out, Protection protection, Optional<String> description,
                          java.util.function.Supplier<List<BackupRecord>> files, String by, org.memoryvault.domain.model.DataKey ownerKey) {
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
        byte[] header = header(id, vaultId, now, rows.schemaVersion(), description);
        long rowCount;
        long[] fileCount = {0};
        String how = protection instanceof Protection.Passphrase ? "passphrase" : "age";
        java.security.MessageDigest digest = signedDigest(header);
        byte[] signerKey = sealer.ownerSealKey(ownerKey);
        try (BackupCipher.Writer w = protection instanceof Protection.Passphrase p
                ? cipher.create(out, header, p.passphrase(), settings.kdfPreset().parameters())
                : cipher.createForRecipients(out, header, ((Protection.Recipients) protection).recipients())) {
            rowCount = rows.export(files, r -> {
                if (r.kind() == BackupRecord.Kind.FILE) {
                    fileCount[0]++;
                } else {
                    byTable.merge(r.name(), 1L, Long::sum);
                }
                byte[] encoded = r.encode();
                addRecord(digest, encoded);
                w.write(encoded);
            });
            byte[] signature = sealer.signAsOwner(ownerKey, signedMessage(digest));
            w.write(BackupRecord.signature(signerKey, signature).encode());
            w.write(BackupRecord.end(rowCount, fileCount[0]).encode());
            w.finish();
        }
        long n = rowCount;
        AuditEvent event = AuditEvent.of(AuditEvent.BACKUP_CREATE, now).with("backup_id", id).with("kind", "full")
                .with("rows", n).with("files", fileCount[0]).with("by", by).with("protection", how);
        AuditEvent recorded = protection instanceof Protection.Recipients r
                ? event.with("recipients", String.join(" ", r.recipients().stream().map(String::strip).toList())) : event;
        tx.run(() -> audit.append(recorded));
        return new Summary(id, vaultId, now, rows.schemaVersion(), "full", description, rowCount, fileCount[0], byTable, how,
                Optional.of(java.util.HexFormat.of().formatHex(signerKey)));
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
        try (BackupCipher.Reader reader = cipher.read(in)) {
            if (!reader.forRecipients()) Header.parse(reader.header());       // a passphrase file: its header before any Argon2id run
            if (opener instanceof Opener.Passphrase p) reader.open(p.passphrase());
            else reader.openWithIdentities(((Opener.Identities) opener).identityFile());
            Header h = Header.parse(reader.header());
            Map<String, Long> byTable = new LinkedHashMap<>();
            long[] fileCount = {0};
            Records records = new Records(reader, files, fileCount, byTable, sealer, signedDigest(reader.header()));
            long imported = rowSink.apply(new Rows(h.schema, records));
            BackupRecord end = records.end();
            if (end.rows() != records.rowsSeen || end.files() != fileCount[0] || imported != records.rowsSeen) {
                throw tampered("its end record counts " + end.rows() + " rows and " + end.files() + " files; it holds "
                        + records.rowsSeen + " and " + fileCount[0]);
            }
            if (reader.next().isPresent()) throw tampered("records follow its end record");
            return new Summary(h.id, h.vault, h.created, h.schema, h.kind, h.description, records.rowsSeen, fileCount[0], byTable,
                    reader.forRecipients() ? "age" : "passphrase", records.signer);
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
            if (allowUnsigned) return;
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
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            addRecord(d, header);
            return d;
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

    /** Appends the {@code backup.restore} event to the vault a backup was just restored into. */
    public long recordRestore(Summary s) {
        return tx.inTransaction(() -> audit.append(AuditEvent.of(AuditEvent.BACKUP_RESTORE, clock.instant())
                .with("backup_id", s.backupId()).with("rows", s.rows()).with("files", s.files())));
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
        long rowsSeen;

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
                    case ROW -> {
                        addRecord(digest, raw);
                        pending = r;
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
            byTable.merge(r.name(), 1L, Long::sum);
            return r;
        }

        BackupRecord end() {
            while (hasNext()) next();        // a sink that stopped early: the rest is still read and checked
            return Objects.requireNonNull(end);
        }
    }

    private static byte[] header(String id, String vault, Instant at, int schema, Optional<String> description) {
        StringBuilder b = new StringBuilder(FIRST_LINE).append('\n');
        b.append("id ").append(id).append('\n');
        b.append("vault ").append(vault).append('\n');
        b.append("created ").append(at.toEpochMilli()).append('\n');
        b.append("schema ").append(schema).append('\n');
        b.append("kind full\n");
        description.ifPresent(d -> b.append("description ").append(d).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The header's lines (FORMAT.md §14). */
    private record Header(String id, String vault, Instant created, int schema, String kind, Optional<String> description) {
        static Header parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            if (lines.length < 7 || !lines[0].equals(FIRST_LINE) || !lines[lines.length - 1].isEmpty() || !text.contains("\nkind full\n")) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not a Memory Vault backup of a format this version reads");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < lines.length - 1; i++) {
                int space = lines[i].indexOf(' ');
                if (space < 1 || fields.put(lines[i].substring(0, space), lines[i].substring(space + 1)) != null) {
                    throw tampered("its header is malformed");
                }
            }
            try {
                return new Header(field(fields, "id"), field(fields, "vault"), Instant.ofEpochMilli(Long.parseLong(field(fields, "created"))),
                        Integer.parseInt(field(fields, "schema")), field(fields, "kind"), Optional.ofNullable(fields.get("description")));
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
