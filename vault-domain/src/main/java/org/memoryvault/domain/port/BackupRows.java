package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.memoryvault.domain.model.BackupRecord;
import org.memoryvault.domain.model.TableSummary;

/**
 * The vault's database as backup rows (docs/FORMAT.md §14): every row of every table a backup
 * carries, read in one consistent snapshot, or only the rows changed after a point of the
 * database's change sequence; an empty database filled from such rows, and changes applied on top.
 * The full-text indexes are not carried: they are rebuilt from the rows.
 */
public interface BackupRows {
    /** The database's schema version; a backup restores only into the same version. */
    int schemaVersion();

    /**
     * Hands {@code files} (read by the supplier at the moment the snapshot is fixed, while no writer
     * is between its changes and its commit, so files and rows agree) to {@code sink}, then, from
     * that one read snapshot, table by table in a fixed order: every row, or with {@code since}
     * only what changed after that change sequence (first a deletion record for each key that no
     * longer exists, children's tables first, then each changed row as it is now).
     */
    Exported export(Supplier<List<BackupRecord>> files, OptionalLong since, Consumer<BackupRecord> sink);

    /**
     * What an export wrote: how many row and deletion records, the change sequence its snapshot
     * had reached (an incremental after it carries what comes later), and every table's summary
     * (row count and key digest) in the snapshot.
     */
    record Exported(long records, long changeSeq, Map<String, TableSummary> tables) {
        public Exported {
            tables = Map.copyOf(tables);
        }
    }

    /**
     * Inserts the rows into this database, which must hold no memory, profile or audit entry
     * ({@code INPUT_STATE} otherwise), then rebuilds the full-text indexes; all in one transaction,
     * so a failure leaves the database as it was. A row of an unknown table or with the wrong
     * number of columns is {@code INTEGRITY_TAMPERED}. Returns how many rows were inserted.
     */
    long importAll(Iterator<BackupRecord> rows);

    /**
     * Applies an incremental backup's records in one transaction: each row replaces the row with
     * its key (or is inserted), each deletion removes the row with its key if there is one; then
     * the full-text indexes are rebuilt. {@code INTEGRITY_TAMPERED} as for {@link #importAll}.
     * Returns how many records were applied.
     */
    long applyChanges(Iterator<BackupRecord> changes);

    /**
     * Every table a backup carries as it is now: its row count and the SHA-256 of its rows' keys
     * in key order (for {@code memories}, of each row's {@code id} and {@code seq}, in id order).
     */
    Map<String, TableSummary> tables();

    /** The largest change sequence number so far (0 for none). */
    long changeSeq();

    /** The newest backup this database made or was restored from, if any (since schema 10). */
    Optional<ChainPoint> chainPoint();

    /** Records a backup as the newest, joining the caller's transaction. */
    void setChainPoint(ChainPoint point, Instant at);

    /**
     * Merges the memories of {@code other} (the rows of a vault restored from a backup of this same
     * vault, same schema and storage backend; another backend's is {@code INPUT_INVALID}) into this database, joining the caller's transaction: a memory new
     * here (by id) is inserted with its recalls and intent links; one identical but for its row
     * number is skipped (its last recall time the later of the two: a merge never starts a cooldown
     * earlier); one that differs otherwise is a conflict, kept as this vault has it
     * ({@link Prefer#VAULT}) or replaced by the backup's ({@link Prefer#BACKUP}); a memory of a
     * profile whose key version or public keys differ here (re-keyed, or bound, since) cannot be
     * opened here and is left out, as is an expired level-0 memory (created before
     * {@code expiredBefore}) this vault does not have. With {@link Prefer#NONE} and any conflict
     * nothing is written ({@code INPUT_STATE}, naming them). Other tables are the vault's own and
     * are not merged. {@code other} is read in the snapshot its caller holds on it (its owner seal
     * checked in the same snapshot), on the one connection of that snapshot, and must have this
     * database's table definitions ({@code INTEGRITY_TAMPERED} otherwise).
     */
    MergeReport merge(BackupRows other, Instant expiredBefore, Prefer prefer);

    /** Which side a conflicting memory comes from; {@code NONE} refuses a merge with conflicts. */
    enum Prefer { NONE, VAULT, BACKUP }

    /**
     * What a merge did: memories inserted, identical, conflicting (ids, at most 100 listed),
     * replaced by the backup's, left out as unopenable here; recalls and intent links inserted.
     */
    record MergeReport(long inserted, long identical, long conflicting, List<String> conflicts, long replaced, long incompatible,
                       long recalls, long links) {
        public MergeReport {
            conflicts = List.copyOf(conflicts);
        }
    }

    /**
     * A backup an incremental can follow: its id, the SHA-256 of its file (hex), the change
     * sequence it reached, and the owner's Ed25519 signature (hex) of those ({@code Backups}), so
     * an edit of the row by anyone without the owner key is caught when the next incremental is made.
     */
    record ChainPoint(String backupId, String sha256Hex, long changeSeq, String signatureHex) {}
}
