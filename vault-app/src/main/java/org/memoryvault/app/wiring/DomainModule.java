package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.port.ApprovalRepository;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.port.RefusalHistory;
import org.memoryvault.domain.usecase.AnomalyWatch;
import org.memoryvault.domain.usecase.DecideApproval;
import org.memoryvault.domain.usecase.ListApprovals;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.PrincipalRepository;
import org.memoryvault.domain.usecase.Principals;
import org.memoryvault.domain.usecase.UpgradeProfile;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;
import org.memoryvault.domain.port.VaultStateRepository;
import org.memoryvault.domain.usecase.AddKeySlot;
import org.memoryvault.domain.usecase.CreateProfile;
import org.memoryvault.domain.usecase.EnterLockdown;
import org.memoryvault.domain.usecase.ExitLockdown;
import org.memoryvault.domain.usecase.ListMemories;
import org.memoryvault.domain.usecase.ListProfiles;
import org.memoryvault.domain.usecase.LockProfile;
import org.memoryvault.domain.usecase.LockdownStatus;
import org.memoryvault.domain.usecase.KeyAccess;
import org.memoryvault.domain.usecase.OwnerProof;
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

/** The domain's use cases, built from the ports the adapter modules bind. No logic here. */
@Module
public abstract class DomainModule {
    private DomainModule() {}

    @dagger.Binds
    abstract RefusalHistory refusalHistory(AuditRefusalHistory adapter);

    @Provides
    static org.memoryvault.domain.port.SettingsStore settingsStore(org.memoryvault.app.config.VaultConfig config) {
        return new org.memoryvault.app.config.TomlSettingsStore(config);
    }

    @dagger.Binds
    abstract org.memoryvault.domain.port.SettingsSource settingsSource(org.memoryvault.domain.port.SettingsStore store);

    @Provides
    static org.memoryvault.domain.usecase.ChangeSetting changeSetting(org.memoryvault.domain.port.SettingsStore settings,
                                                                      VaultStateRepository state, OwnerProof o,
                                                                      AuditLog a, Transactions tx, Clock clock) {
        return new org.memoryvault.domain.usecase.ChangeSetting(settings, state, o, a, tx, clock);
    }

    @Provides @Singleton
    static org.memoryvault.domain.port.SealWitness sealWitness(org.memoryvault.app.config.VaultConfig config, VaultComponent.Home home) {
        return new FileSealWitness(config, home.dir());
    }

    /** The owner seals; every owner ceremony of {@link OwnerProof} begins with its check and ends with a new seal. */
    @Provides @Singleton
    static org.memoryvault.domain.usecase.OwnerSeals ownerSeals(org.memoryvault.domain.port.OwnerSealStore store, Sealer sealer,
            VaultStateRepository s, AuditLog a, org.memoryvault.domain.port.SettingsSource settings,
            org.memoryvault.domain.port.SealWitness witness, KeyAccess k, OwnerProof o, Transactions tx, Clock clock,
            org.memoryvault.app.config.VaultConfig config, java.security.SecureRandom random) {
        org.memoryvault.domain.usecase.OwnerSeals seals = new org.memoryvault.domain.usecase.OwnerSeals(store, sealer, s, a, settings,
                witness, k, o, tx, clock, new ConfiguredRollbackCounter(config, random));
        o.onCeremony(seals::requireSealed, seals::reseal);
        return seals;
    }

    @Provides @Singleton
    static KeyAccess keyAccess(ProfileRepository profiles, KeySource sources, UnlockedKeys cache, UnlockSessions sessions,
                               SecretProvider secrets, VaultSettings settings, Sealer sealer) {
        return new KeyAccess(profiles, sources, cache, sessions, secrets, settings, sealer);
    }

    @Provides @Singleton
    static OwnerProof ownerProof(KeyAccess k, VaultStateRepository s, VaultSettings settings, Transactions tx) {
        return new OwnerProof(k, s, settings, tx);
    }

    @Provides
    static StoreMemory storeMemory(MemoryRepository m, VaultStateRepository s, KeyAccess k, VaultSettings settings, Sealer sealer,
                                   AuditLog a, Transactions tx, Clock clock, SecureRandom random) {
        return new StoreMemory(m, s, k, settings, sealer, a, tx, clock, random);
    }

    @Provides
    static RecallMemory recallMemory(MemoryRepository m, VaultStateRepository s, BoundaryGuard b,
                                     ApprovalGate g, PresenceVerifier v, KeyAccess k, OwnerProof o, VaultSettings settings,
                                     Sealer sealer, AuditLog a, Transactions tx, Clock clock, Set<MemoryAuditor> auditors,
                                     AnomalyWatch anomaly) {
        return new RecallMemory(m, s, new RecallMemory.Gates(b, g, v), k, o, settings, sealer, a, tx, clock,
                List.copyOf(auditors), Optional.of(anomaly));
    }

    @Provides
    static org.memoryvault.domain.usecase.RecordWrongSecret recordWrongSecret(AuditLog a, Transactions tx, AnomalyWatch anomaly,
                                                                              Clock clock) {
        return new org.memoryvault.domain.usecase.RecordWrongSecret(a, tx, anomaly, clock);
    }

    @Provides
    static AnomalyWatch anomalyWatch(RefusalHistory history, AnomalyRule rule, EnterLockdown lockdown, VaultStateRepository s,
                                     Clock clock) {
        return new AnomalyWatch(history, rule, lockdown, s, clock);
    }

    @Provides
    static DecideApproval decideApproval(ApprovalRepository r, MemoryRepository m, PrincipalRepository p, OwnerProof o,
                                         VaultStateRepository s, Sealer sealer, AuditLog a, Transactions tx, Clock clock) {
        return new DecideApproval(r, m, p, o, s, sealer, a, tx, clock);
    }

    @Provides
    static Principals principals(PrincipalRepository p, OwnerProof o, VaultStateRepository s, Sealer sealer, AuditLog a,
                                 Transactions tx, Clock clock) {
        return new Principals(p, o, s, sealer, a, tx, clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.PresenceTokens presenceTokens(org.memoryvault.domain.port.TokenRepository t, OwnerProof o,
                                                                         VaultStateRepository s, Sealer sealer, PresenceVerifier p,
                                                                         AuditLog a, Clock clock) {
        return new org.memoryvault.domain.usecase.PresenceTokens(t, o, s, sealer, p, a, clock);
    }

    @Provides static ListApprovals listApprovals(ApprovalRepository r) { return new ListApprovals(r); }

    @Provides
    static org.memoryvault.domain.usecase.IntentLinks intentLinks(org.memoryvault.domain.port.IntentLinkRepository l, MemoryRepository m,
                                                                   VaultStateRepository s, AuditLog a, Transactions tx, Clock clock) {
        return new org.memoryvault.domain.usecase.IntentLinks(l, m, s, a, tx, clock);
    }

    @Provides static ShowMemory showMemory(MemoryRepository m) { return new ShowMemory(m); }

    @Provides
    static org.memoryvault.domain.usecase.CommitMemory commitMemory(MemoryRepository m, AuditLog a, Transactions tx, Clock clock) {
        return new org.memoryvault.domain.usecase.CommitMemory(m, a, tx, clock);
    }

    @Provides static ListMemories listMemories(MemoryRepository m) { return new ListMemories(m); }

    @Provides static SearchMemories searchMemories(MemoryRepository m) { return new SearchMemories(m); }

    @Provides
    static TombstoneMemory tombstoneMemory(MemoryRepository m, OwnerProof o, VaultStateRepository s, AuditLog a, Clock clock,
                                           org.memoryvault.domain.port.ApprovalRepository approvals) {
        return new TombstoneMemory(m, o, s, a, clock, approvals);
    }

    @Provides
    static EnterLockdown enterLockdown(VaultStateRepository s, UnlockedKeys c, UnlockSessions u, AuditLog a, Transactions tx,
                                       Clock clock, BoundaryGuard boundary) {
        return new EnterLockdown(s, c, u, a, tx, clock, Optional.of(boundary));
    }

    @Provides
    static ExitLockdown exitLockdown(VaultStateRepository s, OwnerProof o, PresenceVerifier p, AuditLog a, Transactions tx,
                                     Clock clock) {
        return new ExitLockdown(s, o, p, a, tx, clock);
    }

    @Provides static LockdownStatus lockdownStatus(VaultStateRepository s) { return new LockdownStatus(s); }

    @Provides
    static org.memoryvault.domain.usecase.BoundaryStatus boundaryStatus(BoundaryGuard b) {
        return new org.memoryvault.domain.usecase.BoundaryStatus(b);
    }

    @Provides
    static PurgeEphemeral purgeEphemeral(MemoryRepository m, VaultStateRepository s, AuditLog a, Transactions tx, Clock clock) {
        return new PurgeEphemeral(m, s, a, tx, clock);
    }

    @Provides
    static CreateProfile createProfile(ProfileRepository p, KeyAccess k, OwnerProof o, VaultStateRepository s, Sealer sealer,
                                       AuditLog a, Clock clock) {
        return new CreateProfile(p, k, o, s, sealer, a, clock);
    }

    @Provides static ListProfiles listProfiles(ProfileRepository p) { return new ListProfiles(p); }

    @Provides
    static AddKeySlot addKeySlot(ProfileRepository p, KeyAccess k, OwnerProof o, VaultStateRepository s, AuditLog a, Clock clock) {
        return new AddKeySlot(p, k, o, s, a, clock);
    }

    @Provides
    static org.memoryvault.domain.port.HeirPackager heirPackager(org.memoryvault.audit.AuditCheckpoints checkpoints) {
        return new AgeHeirPackager(checkpoints);
    }

    @Provides
    static org.memoryvault.domain.usecase.DeadManSwitches deadManSwitches(org.memoryvault.domain.port.DeadManRepository r,
            org.memoryvault.domain.port.HeirPackager p, org.memoryvault.domain.usecase.RecallMemory recall, OwnerProof o,
            org.memoryvault.domain.port.PresenceVerifier presence, Sealer sealer, VaultStateRepository s, AuditLog a, Clock clock) {
        return new org.memoryvault.domain.usecase.DeadManSwitches(r, p, recall, o, presence, sealer, s, a, clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.KeyEscrows keyEscrows(org.memoryvault.domain.port.EscrowRepository e,
                                                                 org.memoryvault.domain.port.KeyEscrow crypto, KeyAccess k, OwnerProof o,
                                                                 ProfileRepository p, Sealer sealer, VaultStateRepository s, AuditLog a,
                                                                 Clock clock) {
        return new org.memoryvault.domain.usecase.KeyEscrows(e, crypto, k, o, p, sealer, s, a, clock);
    }

    @Provides
    static RemoveKeySlot removeKeySlot(ProfileRepository p, KeyAccess k, OwnerProof o, VaultStateRepository s, AuditLog a,
                                       Clock clock) {
        return new RemoveKeySlot(p, k, o, s, a, clock);
    }

    @Provides
    static RewrapProfile rewrapProfile(ProfileRepository p, KeyAccess k, OwnerProof o, VaultStateRepository s, AuditLog a,
                                       Clock clock) {
        return new RewrapProfile(p, k, o, s, a, clock);
    }

    @Provides
    static UpgradeProfile upgradeProfile(ProfileRepository p, MemoryRepository m, KeyAccess k, OwnerProof o, VaultStateRepository s,
                                         Sealer sealer, AuditLog a, Clock clock) {
        return new UpgradeProfile(p, m, k, o, s, sealer, a, clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.RekeyProfile rekeyProfile(ProfileRepository p, MemoryRepository m,
            org.memoryvault.domain.port.PrincipalRepository principals, org.memoryvault.domain.port.ApprovalRepository approvals,
            KeyAccess k, OwnerProof o, VaultStateRepository s, Sealer sealer, AuditLog a,
            org.memoryvault.domain.port.Transactions tx, Clock clock) {
        return new org.memoryvault.domain.usecase.RekeyProfile(p, m, principals, approvals, k, o, s, sealer, a, tx, clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.Level5Binding level5Binding(ProfileRepository p, MemoryRepository m, KeyAccess k,
                                                                     OwnerProof o, VaultStateRepository s, Sealer sealer,
                                                                     AuditLog a, Clock clock) {
        return new org.memoryvault.domain.usecase.Level5Binding(p, m, k, o, s, sealer, a, clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.Backups backups(org.memoryvault.domain.port.BackupRows rows,
                                                         org.memoryvault.domain.port.BackupCipher cipher, VaultStateRepository s,
                                                         VaultSettings settings, AuditLog a, Transactions tx, Clock clock,
                                                         java.security.SecureRandom random, Sealer sealer) {
        return new org.memoryvault.domain.usecase.Backups(rows, cipher, sealer, s, settings, a, tx, clock, random);
    }

    @Provides
    static org.memoryvault.domain.usecase.ImportLegacy importLegacy(MemoryRepository m, ProfileRepository p, StoreMemory store,
                                                                   OwnerProof o, AuditLog a,
                                                                   org.memoryvault.domain.port.AuditStore auditStore, Clock clock) {
        return new org.memoryvault.domain.usecase.ImportLegacy(m, p, store, o, a, auditStore,
                org.memoryvault.crypto.SodiumLegacyCipher.libsodium(), clock);
    }

    @Provides
    static org.memoryvault.domain.usecase.MergeBackup mergeBackup(org.memoryvault.domain.port.BackupRows rows, OwnerProof o,
                                                                 VaultStateRepository s, AuditLog a, Clock clock, VaultSettings settings) {
        return new org.memoryvault.domain.usecase.MergeBackup(rows, o, s, a, clock, settings);
    }

    @Provides
    static UnlockProfile unlockProfile(KeyAccess k, UnlockSessions u, VaultStateRepository s, VaultSettings settings, Clock clock) {
        return new UnlockProfile(k, u, s, settings, clock);
    }

    @Provides static LockProfile lockProfile(UnlockedKeys c, UnlockSessions u) { return new LockProfile(c, u); }

    @Provides
    static VerifyMemories verifyMemories(MemoryRepository m, KeyAccess k, OwnerProof o, Sealer sealer, AuditLog a,
                                         Transactions tx, Clock clock) {
        return new VerifyMemories(m, k, o, sealer, a, tx, clock);
    }
}
