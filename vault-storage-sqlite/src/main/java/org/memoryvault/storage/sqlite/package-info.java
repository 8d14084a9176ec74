/**
 * SQLite storage: one vault.db file per vault (WAL, secure_delete, foreign keys), opened through
 * {@link org.memoryvault.storage.sqlite.SqliteVaultStorage} (the module's public face), and the
 * adapters for the domain's storage ports. A memory row, its search index rows and its audit leaf commit in one transaction; the
 * store holds ciphertext and metadata only, never plaintext.
 */
@NullMarked
package org.memoryvault.storage.sqlite;

import org.jspecify.annotations.NullMarked;
