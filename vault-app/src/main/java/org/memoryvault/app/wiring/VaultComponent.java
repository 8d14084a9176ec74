package org.memoryvault.app.wiring;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.audit.AuditModule;
import org.memoryvault.audit.AuditQueries;
import org.memoryvault.audit.AuditVerifier;
import org.memoryvault.crypto.CryptoModule;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;
import org.memoryvault.domain.usecase.AddKeySlot;
import org.memoryvault.domain.usecase.CreateProfile;
import org.memoryvault.domain.usecase.EnterLockdown;
import org.memoryvault.domain.usecase.ExitLockdown;
import org.memoryvault.domain.usecase.ListMemories;
import org.memoryvault.domain.usecase.ListProfiles;
import org.memoryvault.domain.usecase.LockProfile;
import org.memoryvault.domain.usecase.LockdownStatus;
import org.memoryvault.domain.usecase.PurgeEphemeral;
import org.memoryvault.domain.usecase.RecallMemory;
import org.memoryvault.domain.usecase.RemoveKeySlot;
import org.memoryvault.domain.usecase.RewrapProfile;
import org.memoryvault.domain.usecase.SearchMemories;
import org.memoryvault.domain.usecase.ShowMemory;
import org.memoryvault.domain.usecase.StoreMemory;
import org.memoryvault.domain.usecase.TombstoneMemory;
import org.memoryvault.domain.usecase.UnlockProfile;
import org.memoryvault.domain.usecase.VerifyMemories;

/** The vault's object graph: one adapter module per adapter module of the reactor, plus the use cases. */
@Singleton
@Component(modules = {StorageModule.class, CryptoModule.class, AuditModule.class, AuditWiringModule.class,
        GatesModule.class, DomainModule.class, ServiceLoaderModule.class,
        org.memoryvault.hardware.HardwareModule.class})
public interface VaultComponent {
    StoreMemory storeMemory();
    RecallMemory recallMemory();
    ShowMemory showMemory();
    ListMemories listMemories();
    SearchMemories searchMemories();
    TombstoneMemory tombstoneMemory();
    EnterLockdown enterLockdown();
    ExitLockdown exitLockdown();
    LockdownStatus lockdownStatus();
    PurgeEphemeral purgeEphemeral();
    CreateProfile createProfile();
    ListProfiles listProfiles();
    AddKeySlot addKeySlot();

    org.memoryvault.domain.usecase.KeyEscrows keyEscrows();

    org.memoryvault.domain.usecase.DeadManSwitches deadManSwitches();
    RemoveKeySlot removeKeySlot();
    RewrapProfile rewrapProfile();
    UnlockProfile unlockProfile();
    LockProfile lockProfile();
    org.memoryvault.domain.usecase.KeyAccess keyAccess();
    org.memoryvault.domain.usecase.OwnerProof ownerProof();
    org.memoryvault.domain.usecase.ChangeSetting changeSetting();

    /** The key-slot cipher over every installed slot backend (which slot types exist, how each takes its secret). */
    org.memoryvault.domain.port.KeySource keySource();
    org.memoryvault.domain.usecase.AnomalyWatch anomalyWatch();
    org.memoryvault.domain.usecase.RecordWrongSecret recordWrongSecret();
    /** What the anomaly rule counts (refused recalls and wrong secrets in the audit log). */
    org.memoryvault.domain.port.RefusalHistory refusalHistory();
    VerifyMemories verifyMemories();
    org.memoryvault.domain.usecase.DecideApproval decideApproval();
    org.memoryvault.domain.usecase.ListApprovals listApprovals();
    org.memoryvault.domain.usecase.Principals principals();
    org.memoryvault.domain.usecase.PresenceTokens presenceTokens();
    org.memoryvault.domain.usecase.IntentLinks intentLinks();

    org.memoryvault.domain.usecase.CommitMemory commitMemory();

    /** FIDO2 security keys: registration at enrolment (the gate itself is {@link org.memoryvault.domain.port.PresenceVerifier}). */
    org.memoryvault.hardware.fido2.Fido2PresenceVerifier fido2();

    /** YubiKey challenge-response tokens: the check at enrolment that the key answers as its secret says. */
    org.memoryvault.hardware.yubikey.YubiKeyPresenceVerifier yubiKeyPresence();
    java.security.SecureRandom random();
    org.memoryvault.domain.usecase.UpgradeProfile upgradeProfile();

    org.memoryvault.domain.usecase.RekeyProfile rekeyProfile();
    org.memoryvault.domain.usecase.Level5Binding level5Binding();
    org.memoryvault.domain.usecase.Backups backups();
    org.memoryvault.domain.usecase.ImportLegacy importLegacy();
    org.memoryvault.domain.usecase.MergeBackup mergeBackup();
    org.memoryvault.domain.port.BackupRows backupRows();
    org.memoryvault.domain.usecase.OwnerSeals ownerSeals();
    org.memoryvault.domain.port.BoundaryGuard boundaryGuard();
    org.memoryvault.domain.usecase.BoundaryStatus boundaryStatus();
    VaultStateRepository vaultState();
    org.memoryvault.domain.port.Transactions transactions();
    org.memoryvault.domain.port.AuditLog auditLog();
    org.memoryvault.audit.AuditCheckpoints auditCheckpoints();
    AuditQueries auditQueries();
    AuditVerifier auditVerifier();

    /** The vault directory, as a distinct binding. */
    record Home(Path dir) {}

    @Component.Factory
    interface Factory {
        VaultComponent create(@BindsInstance VaultConfig config, @BindsInstance VaultSettings settings,
                              @BindsInstance Clock clock, @BindsInstance SecureRandom random,
                              @BindsInstance org.memoryvault.domain.port.VaultStorage storage, @BindsInstance SecretProvider secrets,
                              @BindsInstance UnlockedKeys unlocked, @BindsInstance org.memoryvault.crypto.CryptoFiles cryptoFiles,
                              @BindsInstance Home home);
    }
}
