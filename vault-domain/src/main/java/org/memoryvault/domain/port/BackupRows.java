package org.memoryvault.domain.port;

import java.util.Iterator;
import java.util.function.Consumer;
import org.memoryvault.domain.model.BackupRecord;

/**
 * The vault's database as backup rows (docs/FORMAT.md §14): every row of every table a backup
 * carries, read in one consistent snapshot; and an empty database filled from such rows. The
 * full-text indexes are not carried: they are rebuilt from the rows.
 */
public interface BackupRows {
    /** The database's schema version; a backup restores only into the same version. */
    int schemaVersion();

    /**
     * Hands {@code files} (read by the supplier at the moment the snapshot is fixed, while no writer
     * is between its changes and its commit, so files and rows agree), then every row to
     * {@code sink}, table by table in a fixed order, from that one read snapshot; returns how many rows.
     */
    long export(java.util.function.Supplier<java.util.List<BackupRecord>> files, Consumer<BackupRecord> sink);

    /**
     * Inserts the rows into this database, which must hold no memory, profile or audit entry
     * ({@code INPUT_STATE} otherwise), then rebuilds the full-text indexes; all in one transaction,
     * so a failure leaves the database as it was. A row of an unknown table or with the wrong
     * number of columns is {@code INTEGRITY_TAMPERED}. Returns how many rows were inserted.
     */
    long importAll(Iterator<BackupRecord> rows);
}
