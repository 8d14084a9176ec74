package org.memoryvault.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.OwnerSealStore;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.storage.sqlite.internal.VaultFiles;

/**
 * The SQLite store of one vault: {@code <vault>/vault.db} (docs/FORMAT.md §9) and every storage
 * port over it, sharing one {@link SqliteDatabase} (transactions are bound to threads through it).
 * This is the module's public face for the wiring; the adapters themselves stay package-private.
 */
public final class SqliteVaultStorage implements VaultStorage {
    /** The name of this backend in a vault's configuration ({@code storage.backend}). */
    public static final String BACKEND = "sqlite";

    private final SqliteDatabase db;
    private final MemoryRepository memories;
    private final ProfileRepository profiles;
    private final VaultStateRepository state;
    private final ApprovalRepository approvals;
    private final PrincipalRepository principals;
    private final org.memoryvault.domain.port.TokenRepository tokens;
    private final org.memoryvault.domain.port.IntentLinkRepository intentLinks;
    private final org.memoryvault.domain.port.EscrowRepository escrows;
    private final org.memoryvault.domain.port.DeadManRepository deadMan;
    private final AuditStore auditStore;
    private final OwnerSealStore ownerSeals;
    private final Transactions transactions;
    private final org.memoryvault.domain.port.BackupRows backupRows;

    private SqliteVaultStorage(SqliteDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
        this.memories = new SqliteMemoryRepository(db);
        this.profiles = new SqliteProfileRepository(db);
        this.state = new SqliteVaultStateRepository(db);
        this.approvals = new SqliteApprovalRepository(db);
        this.principals = new SqlitePrincipalRepository(db);
        this.tokens = new SqliteTokenRepository(db);
        this.intentLinks = new SqliteIntentLinkRepository(db);
        this.escrows = new SqliteEscrowRepository(db);
        this.deadMan = new SqliteDeadManRepository(db);
        this.auditStore = new SqliteAuditStore(db);
        this.ownerSeals = new SqliteOwnerSealStore(db);
        this.transactions = new SqliteTransactions(db);
        this.backupRows = new SqliteBackupRows(db);
    }

    /** Whether {@code vaultDir} holds a SQLite vault (a vault.db, or a link where one belongs, which opening refuses). */
    public static boolean existsIn(Path vaultDir) {
        Path file = vaultDir.resolve(VaultFiles.DATABASE_FILE);
        return Files.isRegularFile(file) || Files.isSymbolicLink(file);
    }

    /** Creates the database in {@code vaultDir} (0700 directory, 0600 file) or opens the one there. */
    public static SqliteVaultStorage create(Path vaultDir, SqliteDatabases.Options options) {
        return new SqliteVaultStorage(SqliteDatabases.open(vaultDir, options));
    }

    /** Opens the existing database ({@code STORAGE_NOT_INITIALISED} if there is none). */
    public static SqliteVaultStorage open(Path vaultDir, SqliteDatabases.Options options) {
        return new SqliteVaultStorage(SqliteDatabases.openExisting(vaultDir, options));
    }

    @Override public MemoryRepository memories() { return memories; }
    @Override public ProfileRepository profiles() { return profiles; }
    @Override public VaultStateRepository state() { return state; }
    @Override public ApprovalRepository approvals() { return approvals; }
    @Override public PrincipalRepository principals() { return principals; }

    @Override public org.memoryvault.domain.port.TokenRepository tokens() { return tokens; }

    @Override public org.memoryvault.domain.port.EscrowRepository escrows() { return escrows; }

    @Override public org.memoryvault.domain.port.DeadManRepository deadMan() { return deadMan; }

    @Override public org.memoryvault.domain.port.IntentLinkRepository intentLinks() { return intentLinks; }
    @Override public AuditStore auditStore() { return auditStore; }
    @Override public OwnerSealStore ownerSeals() { return ownerSeals; }
    @Override public Transactions transactions() { return transactions; }
    @Override public org.memoryvault.domain.port.BackupRows backupRows() { return backupRows; }

    @Override public void close() { db.close(); }
}
