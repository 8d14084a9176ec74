package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.OwnerSealStore;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.port.VaultStorage;

/** The storage ports, from whichever {@link VaultStorage} the vault's {@link StorageBackend} opened. Names no technology. */
@Module
public final class StorageModule {
    private StorageModule() {}

    @Provides static MemoryRepository memories(VaultStorage s) { return s.memories(); }

    @Provides static ProfileRepository profiles(VaultStorage s) { return s.profiles(); }

    @Provides static VaultStateRepository state(VaultStorage s) { return s.state(); }

    @Provides static ApprovalRepository approvals(VaultStorage s) { return s.approvals(); }

    @Provides static PrincipalRepository principals(VaultStorage s) { return s.principals(); }

    @Provides static AuditStore auditStore(VaultStorage s) { return s.auditStore(); }

    @Provides static OwnerSealStore ownerSeals(VaultStorage s) { return s.ownerSeals(); }

    @Provides static org.memoryvault.domain.port.TokenRepository tokens(VaultStorage s) { return s.tokens(); }
    @Provides static org.memoryvault.domain.port.EscrowRepository escrows(VaultStorage s) { return s.escrows(); }
    @Provides static org.memoryvault.domain.port.DeadManRepository deadMan(VaultStorage s) { return s.deadMan(); }

    @Provides static org.memoryvault.domain.port.IntentLinkRepository intentLinks(VaultStorage s) { return s.intentLinks(); }

    @Provides static Transactions transactions(VaultStorage s) { return s.transactions(); }

    @Provides static org.memoryvault.domain.port.BackupRows backupRows(VaultStorage s) { return s.backupRows(); }
}
