package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BackupRows;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Merges a backup of this vault into it (docs/FORMAT.md §14, "Merging"): the backup is first
 * restored, with every check a restore makes, into a directory of its own; its memories are then
 * merged into this vault ({@link BackupRows#merge}) in one owner ceremony with a
 * {@code backup.merge} audit entry. A dry run does it all and rolls it back.
 */
public final class MergeBackup {
    private final BackupRows rows;
    private final OwnerProof owner;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    private final org.memoryvault.domain.policy.VaultSettings settings;

    public MergeBackup(BackupRows rows, OwnerProof owner, VaultStateRepository state, AuditLog audit, Clock clock,
                       org.memoryvault.domain.policy.VaultSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Merges {@code restored} (the rows of the vault the chain ending in {@code last} was restored
     * into, with its transactions and owner seals) with the owner key {@code proven}: in one read
     * snapshot of the copy, its newest seal must be signed by {@code proven} and its state must
     * agree with it, and the merge reads the copy in that same snapshot (so a process writing the
     * copy meanwhile changes nothing that is merged). Refused ({@code INPUT_INVALID}) when the
     * backup is of another vault.
     */
    public BackupRows.MergeReport merge(BackupRows restored, org.memoryvault.domain.port.Transactions restoredTx, OwnerSeals restoredSeals,
                                       Backups.Summary last, BackupRows.Prefer prefer, boolean dryRun, DataKey proven) {
        state.lockdown().refuseIfActive("merging a backup");
        String here = state.vaultId().orElse("");
        if (!here.equals(last.vaultId())) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the backup is of vault " + last.vaultId() + ", not of this vault ("
                    + here + "): only a backup of this vault merges into it; restore it into a new directory instead");
        }
        try {
            return restoredTx.inSnapshot(() -> {
                restoredSeals.requireSealedBy(proven);
                restoredSeals.checkInSnapshot();
                return owner.ceremony(proven, () -> {
                    BackupRows.MergeReport r = rows.merge(restored, clock.instant().minus(settings.ephemeralTtl()), prefer);
                    audit.append(AuditEvent.of(AuditEvent.BACKUP_MERGE, clock.instant()).with("backup_id", last.backupId())
                            .with("sha256", last.sha256()).with("prefer", prefer.name().toLowerCase(java.util.Locale.ROOT))
                            .with("inserted", r.inserted()).with("identical", r.identical()).with("conflicting", r.conflicting())
                            .with("replaced", r.replaced()).with("incompatible", r.incompatible()).with("recalls", r.recalls())
                            .with("links", r.links()).with("differing", String.join(" ", r.conflicts())));
                    if (dryRun) throw new DryRun(r);
                    return r;
                });
            });
        } catch (DryRun d) {
            return d.report;
        }
    }

    /** Rolls a dry run's transaction back, carrying what it would have done. */
    private static final class DryRun extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient BackupRows.MergeReport report;

        DryRun(BackupRows.MergeReport report) {
            super("dry run", null, false, false);
            this.report = report;
        }
    }
}
