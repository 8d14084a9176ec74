package org.memoryvault.domain.usecase;

import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Gets a profile's data key: from the in-process cache, else a live unlock session, else by
 * unwrapping a key slot with a secret from the {@link SecretProvider} (one Argon2id run at most).
 *
 * <p>Security: keys returned by {@link #dataKey} belong to the cache; callers must not close them.
 * Keys returned by {@link #unlockFromSecret} belong to the caller. A wrong secret says only that
 * no slot opened, never which one failed.
 */
public final class ProfileKeys {
    private final ProfileRepository profiles;
    private final KeySource keySource;
    private final UnlockedKeys cache;
    private final UnlockSessions sessions;
    private final SecretProvider secrets;
    private final VaultSettings settings;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private volatile java.util.function.Consumer<DataKey> ceremonyBegin = k -> { };
    private volatile java.util.function.Consumer<DataKey> ceremonyEnd = k -> { };
    private final java.util.concurrent.ConcurrentMap<ProfileId, TierLocks> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public ProfileKeys(ProfileRepository profiles, KeySource keySource, UnlockedKeys cache,
                       UnlockSessions sessions, SecretProvider secrets, VaultSettings settings, VaultStateRepository state,
                       Sealer sealer) {
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Profile profile(ProfileId id) {
        return profiles.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + id));
    }

    /** The cached data key of the profile, unlocking it if needed. Owned by the cache. */
    public DataKey dataKey(ProfileId id) {
        Optional<DataKey> cached = cache.find(id);
        if (cached.isPresent()) return cached.get();
        Profile profile = profile(id);
        Optional<DataKey> resumed = sessions.resume(id).filter(k -> k.keyVersion() == profile.keyVersion());
        DataKey key = resumed.orElseGet(() -> unlockFromSecret(profile));
        cache.remember(key, settings.unlockTtl());
        return key;
    }

    /**
     * The owner's key of the profile (it opens levels 3-5): the cached one, else proved now with the
     * owner's secret (a passphrase slot, or, in a profile without one, a key file and the owner
     * escrow). Owned by the cache.
     */
    public DataKey ownerKey(ProfileId id) {
        Optional<DataKey> cached = cache.find(id);
        if (cached.isPresent() && cached.get().isOwner()) return cached.get();
        DataKey key = proveSecret(id, false);
        if (!key.isOwner()) {
            key.close();
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "profile " + id
                    + " has no owner key (it was created before key tiers); run `vault profile upgrade " + id + "`");
        }
        cache.remember(key, settings.unlockTtl());
        return key;
    }

    /** The owner's key from a passphrase given now (e.g. typed at a terminal approval); caller closes. */
    public DataKey ownerKeyFrom(ProfileId id, SlotSecret secret) {
        Profile profile = profile(id);
        for (KeySlot slot : profile.slots()) {
            if (!slot.type().equals(secret.type()) || !keySource.types().contains(slot.type())) continue;
            DataKey key;
            try {
                key = keySource.unwrap(slot, profile.id(), profile.keyVersion(), secret);
            } catch (AccessRefusedException wrong) {
                continue;                        // another slot may hold this passphrase
            }
            key = withEscrow(profile, key);
            if (key.isOwner()) return key;
            key.close();
        }
        throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong owner passphrase for profile " + id);
    }

    /**
     * A key-file-tier key upgraded to the owner's key where the profile escrows it (no owner passphrase
     * yet); and any owner key checked against the profile's public locks, so public keys replaced in
     * vault.db (to have level 3-5 memories sealed to someone else's key) are caught at the owner's
     * next unlock, and a forged slot with another owner key proves nothing.
     */
    private DataKey withEscrow(Profile profile, DataKey key) {
        DataKey owner = key;
        if (!key.isOwner() && profile.locks().ownerEscrow().isPresent()) {
            try {
                owner = sealer.openEscrow(key, profile.locks());
            } finally {
                key.close();
            }
        }
        if (owner.isOwner()) {
            try {
                sealer.requireAuthentic(owner, profile.locks());
            } catch (RuntimeException e) {
                owner.close();
                throw e;
            }
        }
        return owner;
    }

    /**
     * The profile's public tier locks (read once per process; {@link #forgetLocks} after a change),
     * checked against the owner's key when this process holds it.
     */
    public TierLocks locks(ProfileId id) {
        return locks.computeIfAbsent(id, p -> {
            TierLocks read = profile(p).locks();
            cache.find(p).filter(DataKey::isOwner).ifPresent(owner -> sealer.requireAuthentic(owner, read));
            return read;
        });
    }

    void forgetLocks(ProfileId id) { locks.remove(id); }

    /** Unwraps the profile's data key with a secret, ignoring caches: proves the caller holds a secret now. */
    public DataKey unlockFromSecret(Profile profile) {
        return unlockFromSecret(profile, t -> true);
    }

    /** Like {@link #unlockFromSecret(Profile)}, trying only slots of the accepted types. */
    public DataKey unlockFromSecret(Profile profile, java.util.function.Predicate<SlotType> accepted) {
        boolean tried = false;
        boolean anyAccepted = false;
        InvalidInputException unusableKeyFile = null;
        java.util.List<KeySlot> noBackend = new java.util.ArrayList<>();
        java.util.List<KeySlot> order = new java.util.ArrayList<>(profile.slots());
        if (secrets.hasPassphraseAtHand()) order.sort(java.util.Comparator.comparing(s -> !s.type().holdsOwnerKey()));
        for (KeySlot slot : order) {
            if (!accepted.test(slot.type())) continue;
            anyAccepted = true;
            if (!keySource.types().contains(slot.type())) {
                noBackend.add(slot);          // the profile's other slots still open
                continue;
            }
            Optional<SlotSecret> secret;
            try {
                secret = secrets.secretFor(profile, slot, keySource.input(slot.type()));
            } catch (InvalidInputException e) {
                if (e.code() != ErrorCode.INPUT_KEY_FILE) throw e;
                unusableKeyFile = e;          // another slot may still open the profile
                continue;
            }
            if (secret.isEmpty()) continue;
            tried = true;
            try (SlotSecret s = secret.get()) {
                return withEscrow(profile, keySource.unwrap(slot, profile.id(), profile.keyVersion(), s));
            } catch (AccessRefusedException wrong) {
                // try the next slot; the final error names no slot
            }
        }
        if (!anyAccepted) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "profile " + profile.id()
                    + " has no key slot of the kind this needs (a passphrase slot)");
        }
        if (!tried && unusableKeyFile == null && !noBackend.isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_SLOT_BACKEND, "could not unlock profile " + profile.id()
                    + ": no backend is installed for its key slot type(s) " + noBackend.stream()
                    .map(s -> "'" + s.type().wireName() + "' (slot " + s.slotId() + ")").distinct().toList()
                    + "; installed: " + keySource.types().stream().map(SlotType::wireName).sorted().toList());
        }
        if (!tried && unusableKeyFile != null) throw unusableKeyFile;
        if (tried) {
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET,
                    "could not unlock profile " + profile.id() + ": wrong passphrase or key file");
        }
        throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "profile " + profile.id()
                + " is locked: give --passphrase-file, set MEMORY_VAULT_SESSION (vault profile unlock), or provide its key file");
    }

    /**
     * Proves that the caller holds a secret of the profile now (not a cached unlock) and returns the
     * data key it unwrapped (caller closes). Once the profile has a passphrase slot, only a passphrase
     * counts, unless {@code anySlot}: a key file, which agents hold, cannot then change the profile's
     * slots or act as the owner.
     */
    public DataKey proveSecret(ProfileId id, boolean anySlot) {
        Profile p = profile(id);
        boolean hasOwnerSlot = p.slots().stream().anyMatch(s -> s.type().holdsOwnerKey());
        return unlockFromSecret(p, hasOwnerSlot && !anySlot ? SlotType::holdsOwnerKey : t -> true);
    }

    /**
     * Sets what every owner ceremony begins and ends with, inside its write transaction and with
     * the key it proved: the state must match the newest owner seal before the change
     * ({@link OwnerSeals#requireSealed}), and is sealed after it ({@link OwnerSeals#reseal}).
     * Nothing until set.
     */
    public void onOwnerCeremony(java.util.function.Consumer<DataKey> begin, java.util.function.Consumer<DataKey> end) {
        ceremonyBegin = Objects.requireNonNull(begin, "begin");
        ceremonyEnd = Objects.requireNonNull(end, "end");
    }

    /** Begins an owner ceremony (see {@link #onOwnerCeremony}); call first inside its transaction, before its change. */
    void beginCeremony(DataKey proven) { ceremonyBegin.accept(proven); }

    /** Ends an owner ceremony (see {@link #onOwnerCeremony}); call inside its transaction, after its change. */
    void endCeremony(DataKey proven) { ceremonyEnd.accept(proven); }

    /** The owner's profile (the vault's first profile). */
    public ProfileId ownerProfile() {
        return state.ownerProfile().orElseThrow(() ->
                new InvalidInputException(ErrorCode.INPUT_STATE, "the vault has no owner profile yet; create a profile first"));
    }


    /** Refuses an operation that lockdown freezes. */
    public void refuseInLockdown(String what) {
        if (state.lockdown().active()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_LOCKDOWN, "the vault is in lockdown; " + what + " is refused");
        }
    }

    VaultStateRepository state() { return state; }

    KeySource keySource() { return keySource; }

    UnlockedKeys cache() { return cache; }

    Sealer sealer() { return sealer; }

    SecretProvider secrets() { return secrets; }

    ProfileRepository profiles() { return profiles; }

    UnlockSessions sessions() { return sessions; }

    VaultSettings settings() { return settings; }
}
