package org.memoryvault.domain.usecase;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.OwnerSeal;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.OwnerSealStore;
import org.memoryvault.domain.port.SealWitness;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.SettingsSource;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Owner seals (docs/FORMAT.md §12): every owner ceremony ends by signing, with a key only the
 * owner key derives, a statement of the state owner ceremonies set (decided approvals,
 * principals, the owner profile's slots and public keys, tombstones, settings, an owner's
 * lockdown) and of the audit tree at that moment. {@link #check} compares the stored rows, the
 * log and the witness file with the newest seal: an edit made outside a ceremony, a log cut back
 * or rewritten below the seal, and a {@code vault.db} older than its witness are
 * {@code INTEGRITY_TAMPERED} (exit 5).
 *
 * <p>Security: a process without the owner key can change rows but cannot sign a seal that the
 * owner key's public half verifies. It can replace the seals with ones under its own key: the
 * owner's next ceremony (which derives the public key from the owner key) and a witness out of
 * its reach catch that; until then only {@link #check}'s policy stands (docs/THREAT-MODEL.md).
 */
public final class OwnerSeals {
    private final OwnerSealStore store;
    private final Sealer sealer;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final SettingsSource settings;
    private final SealWitness witness;
    private final KeyAccess keys;
    private final OwnerProof ownerProof;
    private final Transactions tx;
    private final Clock clock;
    private final org.memoryvault.domain.port.RollbackCounter counter;
    private @Nullable OwnerSeal unpublished;
    /**
     * Seals whose signature verified, as key, signature and body: a verification is a pure function
     * of these, and every operation of a long-running process checks the whole chain.
     */
    private final java.util.Set<String> verifiedSignatures = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public OwnerSeals(OwnerSealStore store, Sealer sealer, VaultStateRepository state, AuditLog audit, SettingsSource settings,
                      SealWitness witness, KeyAccess keys, OwnerProof ownerProof, Transactions tx, Clock clock) {
        this(store, sealer, state, audit, settings, witness, keys, ownerProof, tx, clock, org.memoryvault.domain.port.RollbackCounter.NONE);
    }

    /** With a rollback counter each new seal is anchored to (FORMAT.md §12, "Rollback counter"). */
    public OwnerSeals(OwnerSealStore store, Sealer sealer, VaultStateRepository state, AuditLog audit, SettingsSource settings,
                      SealWitness witness, KeyAccess keys, OwnerProof ownerProof, Transactions tx, Clock clock,
                      org.memoryvault.domain.port.RollbackCounter counter) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.store = Objects.requireNonNull(store, "store");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.witness = Objects.requireNonNull(witness, "witness");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * First inside an owner ceremony's write transaction, before its change: the stored state, the
     * log and the witness must agree with the newest seal, and that seal must be signed by this
     * owner key, or the ceremony is {@code INTEGRITY_TAMPERED} and changes nothing. (The write
     * transaction holds the database's write lock, so nothing changes between this check and the
     * seal.) Does nothing unless {@code proven} is the owner profile's owner key.
     */
    public void requireSealed(DataKey proven) {
        if (!ownerKeyOfOwnerProfile(proven)) return;
        tx.run(() -> {
            List<String> problems = problems(Optional.of(proven));
            if (!problems.isEmpty()) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the vault's state disagrees with the owner seal, "
                        + "so this owner ceremony would seal it: " + String.join("; ", problems)
                        + "; nothing was changed (docs/RECOVERY.md, \"Owner seal\")", null);
            }
        });
    }

    /**
     * Signs the current owner-set state and audit tree, in the caller's transaction, after an
     * owner ceremony changed it (the ceremony called {@link #requireSealed} first); does nothing
     * unless {@code proven} is the owner profile's owner key (another profile's ceremonies set
     * nothing a seal covers). {@link #publish} writes the witness once the command is done.
     */
    public void reseal(DataKey proven) {
        if (!ownerKeyOfOwnerProfile(proven)) return;
        tx.run(() -> {
            byte[] publicKey = sealer.ownerSealKey(proven);
            Optional<OwnerSeal> last = store.latest();
            if (last.isPresent() && !signedBy(last.get(), publicKey)) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the newest owner seal in vault.db was not signed by "
                        + "the owner key: seals were forged or replaced outside the vault; nothing was changed", null);
            }
            sealNow(proven, publicKey, Math.addExact(last.map(x -> x.statement().seq()).orElse(0L), 1));
        });
    }

    /**
     * Proves the owner's secret now, then {@link #accept}s the state as it is. While the vault is in
     * lockdown, by its row or by the newest seal, the proof is the one that lifts lockdown
     * ({@link ExitLockdown}): accepting an edited state must not be a way out that
     * {@code lockdown exit} refuses (on a vault without a passphrase, the key file).
     */
    public Accepted acceptProvingOwner() {
        boolean lockdown = state.lockdown().active() || latestStatement().map(OwnerSeal.Statement::lockdown).orElse(false);
        try (org.memoryvault.domain.model.OwnedKey owner = lockdown
                ? ownerProof.proveToLeaveLockdown(ownerProof.ownerProfile()) : ownerProof.proveVaultOwner()) {
            return accept(owner.key());
        }
    }

    /** Proves the owner's secret now, then {@link #requireSealed} and {@link #reseal} in one transaction. */
    public void resealProvingOwner() {
        try (org.memoryvault.domain.model.OwnedKey owner = ownerProof.proveVaultOwner()) {
            tx.run(() -> {
                requireSealed(owner.key());
                reseal(owner.key());
            });
        }
    }

    /**
     * {@code vault reseal}: the owner accepts the stored state as it is and seals it, with a seq
     * beyond vault.db's and beyond the witness's when the witness is signed by this owner key. The
     * disagreements accepted are computed inside the sealing transaction (so exactly what is sealed
     * is listed), recorded in an {@code owner.reseal} audit entry and returned. Needs the owner
     * profile's owner key.
     */
    public Accepted accept(DataKey proven) {
        if (!ownerKeyOfOwnerProfile(proven)) {
            throw new org.memoryvault.domain.error.AccessRefusedException(ErrorCode.ACCESS_CLEARANCE,
                    "only the owner key of the owner's profile seals the vault's state");
        }
        byte[] publicKey = sealer.ownerSealKey(proven);
        return tx.inTransaction(() -> {
            List<String> accepted = new ArrayList<>(problems(Optional.of(proven)));
            List<OwnerSeal> own = sealsSignedBy(publicKey);
            long seq = maxSeq(own);
            long foreign = store.all().size() - own.size();
            if (foreign > 0) accepted.add(foreign + " owner-seal rows the owner key did not sign (those above its newest were deleted)");
            store.deleteAbove(seq);
            try {
                Optional<OwnerSeal> w = witness.read().map(OwnerSeal::parse);
                if (w.isPresent() && signedBy(w.get(), publicKey)) seq = Math.max(seq, w.get().statement().seq());
            } catch (VaultException unreadable) {
                // replaced by this seal
            }
            long next = Math.addExact(seq, 1);
            audit.append(AuditEvent.of(AuditEvent.OWNER_RESEAL, clock.instant()).with("seal", next)
                    .with("accepted", accepted.isEmpty() ? "nothing differed" : String.join("; ", accepted)));
            sealNow(proven, publicKey, next);
            return new Accepted(next, List.copyOf(accepted));
        });
    }

    /** What {@link #accept} sealed: the new seal's seq and the disagreements it accepted. */
    public record Accepted(long seq, List<String> problems) {
        public Accepted { problems = List.copyOf(problems); }
    }

    private boolean ownerKeyOfOwnerProfile(DataKey key) {
        Optional<ProfileId> owner = state.ownerProfile();
        return owner.isPresent() && key.isOwner() && key.profile().equals(owner.get());
    }

    /** The stored seals {@code publicKey} signed, whose statements parse (anything else counts for nothing). */
    private List<OwnerSeal> sealsSignedBy(byte[] publicKey) {
        List<OwnerSeal> out = new ArrayList<>();
        for (OwnerSeal seal : store.all()) {
            try {
                if (signedBy(seal, publicKey)) {
                    seal.statement();
                    out.add(seal);
                }
            } catch (VaultException malformed) {
                // not a seal
            }
        }
        return out;
    }

    private static long maxSeq(List<OwnerSeal> seals) {
        return seals.stream().mapToLong(x -> x.statement().seq()).max().orElse(0);
    }

    private void sealNow(DataKey proven, byte[] publicKey, long seq) {
        ProfileId owner = proven.profile();
        long at = clock.instant().toEpochMilli();
        audit.append(AuditEvent.of(AuditEvent.OWNER_SEAL, clock.instant()).with("seal", seq).with("profile", owner.value()));
        AuditLog.Head head = audit.head();
        String inUse = settings.digest();
        if (!settings.storedDigest().equals(inUse)) {               // the file moved under the ceremony: seal nothing
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the stored settings (config.toml) changed during this "
                    + "owner ceremony, so they are not what it acted on; nothing was changed", null);
        }
        OwnerSeal.Statement statement = new OwnerSeal.Statement(vaultId(), seq, at, owner, head.size(), head.rootHex(),
                state.lockdown().active(), store.digest(owner), inUse, anchor());
        String body = statement.text();
        OwnerSeal seal = new OwnerSeal(body, publicKey, sealer.signAsOwner(proven, body.getBytes(StandardCharsets.UTF_8)));
        store.append(seq, seal);
        synchronized (this) { unpublished = seal; }
    }

    /**
     * The counter line of a new seal, with the counter already advanced to it: the configured
     * rollback counter's value after one increment (more if that is not above the newest seal's). It is raised here, inside the ceremony's transaction
     * and before the commit, so no failure after this point (a crash, a failed commit, a process
     * stopped and its seal row deleted) can leave a committed seal above the counter: at worst the
     * counter is ahead of vault.db, which every later command reports (fail closed). A counter that
     * cannot be read or advanced fails the ceremony, which changes nothing.
     */
    private String anchor() {
        Optional<String> name = counter.name();
        if (name.isEmpty()) return "";
        long previous = latestStatement().filter(st -> st.counterName().equals(name)).map(st -> st.counterValue().getAsLong()).orElse(0L);
        long target = counter.increment();
        while (target <= previous) target = counter.increment();
        long check = counter.read();                         // certified: the TPM the setting names holds it

        if (check != target) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the rollback counter " + name.get() + " moved during this owner"
                    + " ceremony (it reads " + check + ", not " + target + "); nothing was changed", null);
        }
        return name.get() + " " + target;
    }

    /**
     * After the command: copies the newest seal to the witness if this process signed it (or found
     * the witness behind) and it is still the newest in vault.db. Never fails the command, whose
     * work has committed: a witness that cannot be written, or a seal of this process that is no
     * longer the newest, is returned as a note.
     */
    public Optional<String> publish() {
        OwnerSeal seal;
        synchronized (this) {
            seal = unpublished;
            unpublished = null;
        }
        if (seal == null) return Optional.empty();
        List<String> notes = new ArrayList<>();
        boolean newest = store.latest().filter(seal::equals).isPresent();
        try {
            if (newest) witness.write(seal.text());
        } catch (VaultException e) {
            notes.add("the owner-seal witness was not updated: " + e.getMessage());
        }
        if (!newest) {
            notes.add("owner seal " + seal.statement().seq() + ", which this command made, is no longer the newest in vault.db (the next"
                    + " command checks the state)");
        }
        return notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes));
    }

    /**
     * After a restore into a new vault directory: the witness, where it lives in the vault directory,
     * becomes the newest seal of the restored vault.db (one kept elsewhere is left as it is).
     */
    public void writeWitnessFromNewest() {
        if (witness.required()) store.latest().ifPresent(s -> witness.write(s.text()));
    }

    /**
     * A vault restored from a backup, before it is moved into place: its newest seal must exist and
     * be signed by {@code proven}, the owner key just proved, and the restored state must agree with
     * it; so a backup whose seals were removed, or re-signed by another key, is refused
     * ({@code INTEGRITY_TAMPERED}) instead of being sealed by the owner's next ceremony.
     */
    public void requireSealedBy(DataKey proven) {
        Optional<OwnerSeal> newest = store.latest();
        if (newest.isEmpty() || !signedBy(newest.get(), sealer.ownerSealKey(proven))) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup's newest owner seal is "
                    + (newest.isEmpty() ? "missing" : "not signed by the owner key given") + ": it does not hold a state this vault's"
                    + " owner sealed (its seals were removed or replaced)", null);
        }
        List<String> problems = problems(Optional.of(proven));
        if (!problems.isEmpty()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the backup's state disagrees with its owner seal: "
                    + String.join("; ", problems), null);
        }
    }

    /** Throws {@code INTEGRITY_TAMPERED} naming every {@link #problems problem}; the use-time check of every command. */
    public void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, String.join("; ", problems)
                    + " (docs/RECOVERY.md, \"Owner seal\")", null);
        }
    }

    /**
     * {@link #check} in the caller's snapshot, with no second look under the write lock: for a
     * copy no other process has a reason to write (a backup restored beside the vault to merge).
     */
    public void checkInSnapshot() {
        List<String> problems = tx.inSnapshot(() -> problemsHere(Optional.empty()));
        if (!problems.isEmpty()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the restored backup disagrees with its owner seal: "
                    + String.join("; ", problems), null);
        }
    }

    /** Every way the stored state, log and witness disagree with the newest owner seal; empty when none. */
    public List<String> problems() {
        return problems(Optional.empty());
    }

    /** See {@link #problems()}; with the owner key, also that the newest seal is the owner's (not a re-keyed chain). */
    private List<String> problems(Optional<DataKey> proven) {
        List<String> seen = tx.inSnapshot(() -> problemsHere(proven));
        // A read snapshot may fall between another process's steps of one ceremony (its TPM counter is
        // raised before its commit): anything found is confirmed under the write lock, which waits for
        // a ceremony in progress to commit.
        return seen.isEmpty() ? seen : tx.inTransaction(() -> problemsHere(proven));
    }

    /** {@link #problems(Optional)} on the current transaction's view. */
    private List<String> problemsHere(Optional<DataKey> proven) {
        List<String> out = new ArrayList<>();
        Optional<OwnerSeal> witnessed = readWitness(out);
        boolean witnessUnreadable = !out.isEmpty();
        Optional<OwnerSeal> latest;
        try {
            latest = store.latest();
            latest.ifPresent(OwnerSeal::statement);
        } catch (VaultException e) {
            out.add("the newest owner seal in vault.db is unreadable (" + e.getMessage() + ")");
            return out;
        }
        if (latest.isEmpty()) {
            witnessed.ifPresent(w -> out.add("vault.db has no owner seal but the witness " + witness.location()
                    + " holds seal " + w.statement().seq() + ": the database was replaced by an older copy or its seals were deleted"));
            long recorded = audit.countOfType(AuditEvent.OWNER_SEAL);
            if (recorded > 0) {
                out.add("vault.db has no owner seal but the audit log records " + recorded + " (owner.seal): the seals were deleted");
            }
            return out;
        }
        OwnerSeal seal = latest.get();
        OwnerSeal.Statement s = seal.statement();
        if (!signedBy(seal, seal.publicKey())) out.add("the newest owner seal's signature does not verify");
        if (maxSeq(sealsSignedBy(seal.publicKey())) != s.seq()) out.add("the newest owner seal row holds an older seal: seals were replayed or renumbered");
        Optional<ProfileId> owner = state.ownerProfile();
        if (owner.isEmpty() || !owner.get().equals(s.profile()) || !s.vaultId().equals(state.vaultId().orElse(""))) {
            out.add("the newest owner seal names another vault or owner profile");
            return out;
        }
        Optional<DataKey> ownerKey = proven.or(() -> keys.cachedOwnerKey(owner.get()).map(org.memoryvault.domain.model.BorrowedKey::key));
        ownerKey.ifPresent(k -> {
            if (!Arrays.equals(sealer.ownerSealKey(k), seal.publicKey())) {
                out.add("the newest owner seal was not signed by the owner key: seals were forged outside the vault");
            }
        });
        boolean ownUnpublished;
        synchronized (this) { ownUnpublished = seal.equals(unpublished); }   // this process sealed it; publish() follows
        if (witnessed.isPresent()) {
            compareWitness(seal, witnessed.get(), out);
        } else if (!witnessUnreadable && witness.required() && !ownUnpublished) {
            out.add("the witness " + witness.location() + " of owner seal " + s.seq() + " is missing (restore it, or `vault reseal`)");
        }
        s.counterName().ifPresent(name -> compareCounter(seal, name, out));
        AuditLog.Head head = audit.head();
        if (head.size() < s.auditSize()) {
            out.add("the audit log has " + head.size() + " entries but the owner sealed it at " + s.auditSize() + ": it was cut back");
        } else if (!audit.hasPrefix(s.auditSize(), s.auditRoot())) {
            out.add("the audit log's first " + s.auditSize() + " entries are not the tree the owner sealed: they were rewritten");
        }
        String inUse = settings.digest();
        List<String> changed = s.differences(store.digest(owner.get()), inUse);
        if (!changed.isEmpty()) {
            out.add(String.join(", ", changed) + " changed outside owner ceremonies since owner seal " + s.seq());
        }
        if (!settings.storedDigest().equals(inUse)) {
            out.add("the stored settings (config.toml) are not the ones this command read at its start: they changed while it"
                    + " ran (run it again; if nobody changed them, they were changed outside the vault)");
        }
        // with lockdown.exit-secret = any a key file may lift lockdown (no owner key, so no new seal), unless a token is
        // enrolled: then leaving takes the token, whose secret only the owner key opens, so it is always sealed
        if (s.lockdown() && !state.lockdown().active() && (!settings.lockdownExitByAnySecret() || store.tokensEnrolled())) {
            out.add("the owner sealed the vault in lockdown, and vault.db says it is not: lockdown was lifted outside the vault");
        }
        return out;
    }

    /** The newest seal, if any (not checked). */
    public Optional<OwnerSeal> latest() { return store.latest(); }

    /** The newest seal's statement, if there is a seal and it parses. */
    private Optional<OwnerSeal.Statement> latestStatement() {
        try {
            return store.latest().map(OwnerSeal::statement);
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** The audit trees the owner cosigned: size to root hash, from every seal (each seal's signature checked). */
    public java.util.Map<Long, String> cosignedTrees() {
        java.util.Map<Long, String> out = new java.util.TreeMap<>();
        for (OwnerSeal seal : store.all()) {
            OwnerSeal.Statement s = seal.statement();
            if (!signedBy(seal, seal.publicKey())) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "owner seal " + s.seq() + " does not verify", null);
            }
            out.put(s.auditSize(), s.auditRoot());
        }
        return out;
    }

    private void compareWitness(OwnerSeal seal, OwnerSeal w, List<String> out) {
        long dbSeq = seal.statement().seq();
        long witnessSeq = w.statement().seq();
        if (!signedBy(w, w.publicKey()) || !Arrays.equals(w.publicKey(), seal.publicKey())) {
            out.add("the witness " + witness.location() + " and vault.db were sealed by different keys");
        } else if (witnessSeq > dbSeq) {
            out.add("vault.db is older than its witness " + witness.location() + " (owner seal " + dbSeq + " in vault.db, "
                    + witnessSeq + " in the witness): it was copied back from earlier");
        } else if (witnessSeq == dbSeq && !w.equals(seal)) {
            out.add("the witness " + witness.location() + " and vault.db hold different owner seals " + dbSeq);
        } else if (witnessSeq < dbSeq) {
            synchronized (this) { unpublished = seal; }        // signed by the same key; the witness write was lost: catch up
        }
    }

    /**
     * The rollback counter against the seal anchored to it, which raised it before committing: above
     * the seal's value means owner ceremonies are missing from vault.db (a rollback, or ceremonies
     * that failed after raising it); below means the counter is not the one the seal raised.
     */
    private void compareCounter(OwnerSeal seal, String name, List<String> out) {
        OwnerSeal.Statement s = seal.statement();
        if (!counter.name().equals(Optional.of(name))) {
            out.add("owner seal " + s.seq() + " is anchored to rollback counter " + name + ", which this vault is not set to read"
                    + " (audit.tpm-counter)");
            return;
        }
        long value;
        try {
            value = counter.read();
        } catch (VaultException e) {
            out.add("owner seal " + s.seq() + " is anchored to rollback counter " + name + ", which cannot be read (" + e.getMessage() + ")");
            return;
        }
        long sealed = s.counterValue().getAsLong();
        if (value > sealed) {
            out.add("vault.db is older than rollback counter " + name + " (the counter is at " + value + ", owner seal " + s.seq()
                    + " anchored it at " + sealed + ": " + (value - sealed) + " owner ceremonies are missing from vault.db): it was copied"
                    + " back from earlier, or a ceremony failed after advancing the counter, or the counter was advanced outside the"
                    + " vault; `vault reseal` accepts vault.db as it is, so first make sure no owner change is missing");
        } else if (value < sealed) {
            out.add("owner seal " + s.seq() + " anchored rollback counter " + name + " at " + sealed + ", but the counter is at " + value
                    + ": the TPM's counter was replaced (cleared TPM?) since");
        }
    }

    private Optional<OwnerSeal> readWitness(List<String> out) {
        try {
            return witness.read().map(OwnerSeal::parse);
        } catch (VaultException e) {
            out.add("the witness " + witness.location() + " is unreadable (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private boolean signedBy(OwnerSeal seal, byte[] publicKey) {
        if (!Arrays.equals(seal.publicKey(), publicKey)) return false;
        String verified = HexFormat.of().formatHex(publicKey) + "/" + HexFormat.of().formatHex(seal.signature()) + "/" + seal.body();
        if (verifiedSignatures.contains(verified)) return true;
        boolean ok = sealer.verifySignature(publicKey, seal.body().getBytes(StandardCharsets.UTF_8), seal.signature());
        if (ok) {
            if (verifiedSignatures.size() >= 1_024) verifiedSignatures.clear();
            verifiedSignatures.add(verified);
        }
        return ok;
    }

    private String vaultId() {
        return state.vaultId().orElseThrow(() -> new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the vault has no id", null));
    }
}
