package org.memoryvault.domain.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.MemoryAuditor;
import org.memoryvault.domain.usecase.AddKeySlot;
import org.memoryvault.domain.usecase.AnomalyWatch;
import org.memoryvault.domain.usecase.ApprovalQueue;
import org.memoryvault.domain.usecase.CreateProfile;
import org.memoryvault.domain.usecase.DecideApproval;
import org.memoryvault.domain.usecase.Principals;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.usecase.EnterLockdown;
import org.memoryvault.domain.usecase.ExitLockdown;
import org.memoryvault.domain.usecase.ListApprovals;
import org.memoryvault.domain.usecase.LockProfile;
import org.memoryvault.domain.usecase.NewSlot;
import org.memoryvault.domain.usecase.KeyAccess;
import org.memoryvault.domain.usecase.UnlockedKeyCache;
import org.memoryvault.domain.usecase.OwnerProof;
import org.memoryvault.domain.usecase.PurgeEphemeral;
import org.memoryvault.domain.usecase.RecallMemory;
import org.memoryvault.domain.usecase.RemoveKeySlot;
import org.memoryvault.domain.usecase.RewrapProfile;
import org.memoryvault.domain.usecase.StoreMemory;
import org.memoryvault.domain.usecase.TombstoneMemory;
import org.memoryvault.domain.usecase.UnlockProfile;

/**
 * The domain wired to in-memory fakes and the test crypto: every port a fake a test can inspect
 * or steer, every use case one call away. Randomness is seeded, time is a {@link MutableClock}.
 *
 * <p>Defaults: the boundary permits, approval is denied (no human), no presence token, principals
 * {@value #OWNER} (clearance BLACK) and {@value #AGENT} (clearance PRIVATE); unknown names get
 * EPHEMERAL. The secret provider offers {@value #PASSPHRASE} for passphrase slots. The plain
 * {@link #recallMemory()} asks the {@link ScriptedApprovalGate}; pass {@link #approvalQueue()} (and
 * auditors, an {@link #anomalyWatch}) to {@link #recallMemory(ApprovalGate, List, Optional)} for the real ones.
 */
public final class InMemoryVault {
    public static final String OWNER = "owner";
    public static final String AGENT = "agent";
    public static final String PASSPHRASE = "correct horse battery staple";
    public static final ProfileId PROFILE = MemoryTestData.DEFAULT_PROFILE;
    /** The lifetime of approvals filed by {@link #approvalQueue()}. */
    public static final Duration APPROVAL_TTL = Duration.ofMinutes(15);

    private final VaultSettings settings;
    private final MutableClock clock = MutableClock.startingAt();
    private final SplittableRandom random = new SplittableRandom(20250115L);
    private final InMemoryTransactions tx = new InMemoryTransactions();
    private final InMemoryMemoryRepository memories = tx.register(new InMemoryMemoryRepository());
    private final InMemoryProfileRepository profiles = tx.register(new InMemoryProfileRepository());
    private final InMemoryVaultStateRepository state = tx.register(new InMemoryVaultStateRepository());
    private final InMemoryAuditLog audit = tx.register(new InMemoryAuditLog());
    private final InMemoryApprovalRepository approvals = tx.register(new InMemoryApprovalRepository());
    private final InMemoryPrincipalRepository principalRecords = tx.register(new InMemoryPrincipalRepository());
    private final Map<String, Requester.Agent> agents = new java.util.HashMap<>();
    private final InMemoryRefusalHistory refusals = new InMemoryRefusalHistory(audit);
    private final UnlockedKeyCache cache = new UnlockedKeyCache(clock);
    private final InMemoryUnlockSessions sessions = new InMemoryUnlockSessions(clock);
    private final FixedSecretProvider secrets = FixedSecretProvider.passphrase(PASSPHRASE);
    private final InsecureTestSealer sealer = new InsecureTestSealer(random.split());
    private final InsecureTestKeySource keySource = new InsecureTestKeySource(random.split());
    private final StaticPrincipalDirectory principals = StaticPrincipalDirectory.of()
            .with(OWNER, Classification.BLACK).with(AGENT, Classification.PRIVATE);
    private final FixedBoundaryGuard boundary = FixedBoundaryGuard.permitting();
    private final ScriptedApprovalGate approval = ScriptedApprovalGate.denying();
    private final FixedPresenceVerifier presence = FixedPresenceVerifier.absent("test: no token");
    private final KeyAccess keys;
    private final OwnerProof owner;

    private InMemoryVault(VaultSettings settings) {
        this.settings = settings;
        this.keys = new KeyAccess(profiles, keySource, cache, sessions, secrets, settings, sealer);
        this.owner = new OwnerProof(keys, state, settings, tx);
    }

    public static InMemoryVault create() { return new InMemoryVault(VaultSettings.DEFAULTS); }

    public static InMemoryVault create(VaultSettings settings) { return new InMemoryVault(settings); }

    // ---- the fakes

    public VaultSettings settings() { return settings; }
    public MutableClock clock() { return clock; }
    public InMemoryTransactions tx() { return tx; }
    public InMemoryMemoryRepository memories() { return memories; }
    public InMemoryProfileRepository profiles() { return profiles; }
    public InMemoryVaultStateRepository state() { return state; }
    public InMemoryAuditLog audit() { return audit; }
    public InMemoryApprovalRepository approvals() { return approvals; }
    public InMemoryRefusalHistory refusals() { return refusals; }
    public UnlockedKeyCache cache() { return cache; }
    public InMemoryUnlockSessions sessions() { return sessions; }
    public FixedSecretProvider secrets() { return secrets; }
    public InsecureTestSealer sealer() { return sealer; }
    public InsecureTestKeySource keySource() { return keySource; }
    /** The clearances agents are enrolled with when {@link #requester(String)} first names them. */
    public StaticPrincipalDirectory principals() { return principals; }
    public InMemoryPrincipalRepository principalRecords() { return principalRecords; }
    public FixedBoundaryGuard boundary() { return boundary; }
    public ScriptedApprovalGate approval() { return approval; }
    public FixedPresenceVerifier presence() { return presence; }
    public KeyAccess keys() { return keys; }
    public OwnerProof ownerProof() { return owner; }

    // ---- the use cases, wired to the fakes

    public CreateProfile createProfile() { return new CreateProfile(profiles, keys, owner, state, sealer, audit, clock); }
    public AddKeySlot addKeySlot() { return new AddKeySlot(profiles, keys, owner, state, audit, clock); }
    public RemoveKeySlot removeKeySlot() { return new RemoveKeySlot(profiles, keys, owner, state, audit, clock); }
    public RewrapProfile rewrapProfile() { return new RewrapProfile(profiles, keys, owner, state, audit, clock); }
    public UnlockProfile unlockProfile() { return new UnlockProfile(keys, sessions, state, settings, clock); }
    public LockProfile lockProfile() { return new LockProfile(cache, sessions); }
    public StoreMemory storeMemory() {
        return new StoreMemory(memories, state, keys, settings, sealer, audit, tx, clock, random.split());
    }
    public RecallMemory recallMemory() {
        return new RecallMemory(memories, state, new RecallMemory.Gates(boundary, approval, presence), keys, owner, settings,
                sealer, audit, tx, clock);
    }
    /** A recall with its own approval gate (e.g. {@link #approvalQueue()}), memory auditors and anomaly watch. */
    public RecallMemory recallMemory(ApprovalGate approvalGate, List<MemoryAuditor> auditors, Optional<AnomalyWatch> anomaly) {
        return new RecallMemory(memories, state, new RecallMemory.Gates(boundary, approvalGate, presence), keys, owner,
                settings, sealer, audit, tx, clock, auditors, anomaly);
    }
    /** The approval queue over {@link #approvals()}, filing approvals that live {@link #APPROVAL_TTL}. */
    public ApprovalQueue approvalQueue() { return new ApprovalQueue(approvals, audit, tx, clock, random.split(), APPROVAL_TTL); }
    public DecideApproval decideApproval() {
        return new DecideApproval(approvals, memories, principalRecords, owner, state, sealer, audit, tx, clock);
    }
    public Principals principalsUseCase() { return new Principals(principalRecords, owner, state, sealer, audit, tx, clock); }
    public ListApprovals listApprovals() { return new ListApprovals(approvals); }
    /** The anomaly watch over {@link #refusals()}, entering lockdown through {@link #enterLockdown()}. */
    public AnomalyWatch anomalyWatch(AnomalyRule rule) { return new AnomalyWatch(refusals, rule, enterLockdown(), state, clock); }
    public TombstoneMemory tombstoneMemory() { return new TombstoneMemory(memories, owner, state, audit, clock, approvals); }
    public PurgeEphemeral purgeEphemeral() { return new PurgeEphemeral(memories, state, audit, tx, clock); }
    public EnterLockdown enterLockdown() {
        return new EnterLockdown(state, cache, sessions, audit, tx, clock, Optional.of(boundary));
    }
    public ExitLockdown exitLockdown() { return new ExitLockdown(state, owner, presence, audit, tx, clock); }

    // ---- shortcuts

    /** Creates {@link #PROFILE} with one passphrase slot opened by {@link #PASSPHRASE}; the key stays unlocked. */
    public Profile createDefaultProfile() {
        try (SlotSecret s = FixedSecretProvider.passphraseSecret(PASSPHRASE)) {
            return createProfile().execute(new CreateProfile.Request(PROFILE, List.of(new NewSlot("main passphrase", s))));
        }
    }

    /** Stores UTF-8 text in {@link #PROFILE} as {@value #OWNER}, with no cooldown and empty metadata. */
    public MemoryId store(String content, Classification classification) {
        return store(content, classification, AccessPolicy.DEFAULT, Metadata.EMPTY);
    }

    public MemoryId store(String content, Classification classification, AccessPolicy policy, Metadata metadata) {
        try (Plaintext p = Plaintext.adopt(content.getBytes(StandardCharsets.UTF_8))) {
            return storeMemory().execute(new StoreMemory.Request(p, classification, PROFILE, policy, metadata, List.of(),
                    new Requester.Owner())).id();
        }
    }

    /** Recalls as {@code requester} and returns the content as UTF-8 text (the plaintext is closed). */
    public String recall(MemoryId id, String requester) {
        RecallMemory.Recalled r = recallMemory().execute(new RecallMemory.Request(id, requester(requester), "test recall",
                Optional.empty()));
        try (Plaintext p = r.plaintext()) {
            return new String(p.revealForCrypto(), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@value #OWNER} is the owner; any other name is an agent principal, enrolled on first use
     * (with the clearance {@link #principals()} gives it, and a random credential) and
     * authenticated with its credential, as the CLI does with {@code --principal-file}.
     */
    public synchronized Requester requester(String name) {
        if (OWNER.equals(name)) return new Requester.Owner();
        Requester.Agent agent = agents.get(name);
        if (agent == null) {
            byte[] credential = new byte[32];
            random.nextBytes(credential);
            try (SlotSecret c = SlotSecret.keyFile(credential.clone())) {
                principalsUseCase().add(name, principals.resolve(name).clearance(), Optional.empty(), c);
            }
            try (SlotSecret c = SlotSecret.keyFile(credential)) {
                agent = principalsUseCase().authenticate(c);
            }
            agents.put(name, agent);
        }
        return agent;
    }
}
