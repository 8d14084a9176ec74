package org.memoryvault.domain.usecase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.BorrowedKey;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;

/**
 * Access to profile keys, with one ownership rule in the types: a key from the cache is a
 * {@link BorrowedKey} (never closed by the caller); a key proved from a secret now is an
 * {@link OwnedKey} (the caller closes it or {@linkplain #keep keeps} it in the cache). Keys come from
 * the in-process cache, else a live unlock session, else a key slot opened with a secret from the
 * {@link SecretProvider} (one Argon2id run at most). Also wraps new slots and reads the profile's
 * public tier locks.
 *
 * <p>Security: a wrong secret says only that no slot opened, never which one failed. Every owner
 * key is checked against the profile's public locks before it is returned.
 */
public final class KeyAccess {
    private final ProfileRepository profiles;
    private final KeySource keySource;
    private final UnlockedKeys cache;
    private final UnlockSessions sessions;
    private final SecretProvider secrets;
    private final VaultSettings settings;
    private final Sealer sealer;
    /** Held while a profile key is unlocked for the cache (see {@link #dataKey}). */
    private final Object unlocking = new Object();
    private final ConcurrentMap<ProfileId, TierLocks> locks = new ConcurrentHashMap<>();

    public KeyAccess(ProfileRepository profiles, KeySource keySource, UnlockedKeys cache, UnlockSessions sessions,
                     SecretProvider secrets, VaultSettings settings, Sealer sealer) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    public Profile profile(ProfileId id) {
        return profiles.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + id));
    }

    /** The profile's key from the cache, a live session or a secret (then cached). */
    public BorrowedKey dataKey(ProfileId id) {
        Optional<DataKey> cached = cache.find(id);
        if (cached.isPresent()) return BorrowedKey.of(cached.get());
        // One unlock at a time: concurrent callers of a long-running process wait for the first and take
        // its cached key, instead of each deriving one (an Argon2id run each) and replacing (closing) the
        // key another caller is using.
        synchronized (unlocking) {
            cached = cache.find(id);
            if (cached.isPresent()) return BorrowedKey.of(cached.get());
            Profile profile = profile(id);
            Optional<DataKey> resumed = sessions.resume(id).filter(k -> k.keyVersion() == profile.keyVersion());
            return keep(resumed.map(OwnedKey::adopt).orElseGet(() -> unlock(profile, t -> true)));
        }
    }

    /** The cached owner key of the profile, if this process holds one. */
    Optional<BorrowedKey> cachedOwnerKey(ProfileId id) {
        return cache.find(id).filter(DataKey::isOwner).map(BorrowedKey::of);
    }

    /** Hands an owned key to the cache for the unlock TTL; the cache owns it from now on. */
    public BorrowedKey keep(OwnedKey key) {
        cache.remember(key.key(), settings.unlockTtl());
        return BorrowedKey.of(key.key());
    }

    /** Drops the profile's cached key (zeroed) and its cached public locks. */
    void forget(ProfileId id) {
        cache.forget(id);
        locks.remove(id);
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

    /**
     * Unwraps the profile's keys with a secret, ignoring caches (it proves the caller holds a
     * secret now), trying only slots whose type {@code accepted} admits. A slot of a type with no
     * installed backend is skipped; if nothing else opens, the error names it.
     */
    public OwnedKey unlock(Profile profile, Predicate<SlotType> accepted) {
        boolean tried = false;
        boolean triedTyped = false;
        List<String> deviceRefusals = new ArrayList<>();
        boolean anyAccepted = false;
        InvalidInputException unusableKeyFile = null;
        List<KeySlot> noBackend = new ArrayList<>();
        List<KeySlot> order = new ArrayList<>(profile.slots());
        if (secrets.hasPassphraseAtHand()) order.sort(Comparator.comparing(s -> !s.type().holdsOwnerKey()));
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
            slot.kdf().filter(KdfParameters::worthANotice).ifPresent(k -> secrets.beforeSlowStep("deriving key: " + k.describe()));
            boolean device = keySource.input(slot.type()) == org.memoryvault.domain.port.SlotBackend.SecretInput.NONE;
            triedTyped |= !device;
            try (SlotSecret s = secret.get()) {
                return withEscrow(profile, keySource.unwrap(slot, profile.id(), profile.keyVersion(), s));
            } catch (AccessRefusedException wrong) {
                // try the next slot. A device's refusal is said (a TPM's changed PCRs, no device); a typed secret's is not
                if (device) deviceRefusals.add(slot.type().wireName() + " slot " + slot.slotId() + ": " + wrong.getMessage());
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
            boolean recovery = order.stream().anyMatch(sl -> sl.type().equals(SlotType.RECOVERY_CODE) && accepted.test(sl.type()));
            String typed = recovery ? "passphrase, recovery code or key file" : "passphrase or key file";
            String why = deviceRefusals.isEmpty() ? "wrong " + typed
                    : String.join("; ", deviceRefusals) + (triedTyped ? "; and the " + typed + " given is wrong" : "");
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "could not unlock profile " + profile.id() + ": " + why);
        }
        throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "profile " + profile.id()
                + " is locked: give --passphrase-file, set MEMORY_VAULT_SESSION (vault profile unlock), or provide its key file");
    }

    /** The owner's key from a secret given now (e.g. typed at a terminal approval), if one of the profile's slots takes it. */
    OwnedKey ownerKeyFrom(ProfileId id, SlotSecret secret) {
        Profile profile = profile(id);
        for (KeySlot slot : profile.slots()) {
            if (!slot.type().equals(secret.type()) || !keySource.types().contains(slot.type())) continue;
            OwnedKey key;
            try {
                key = withEscrow(profile, keySource.unwrap(slot, profile.id(), profile.keyVersion(), secret));
            } catch (AccessRefusedException wrong) {
                continue;                        // another slot may hold this passphrase
            }
            if (key.isOwner()) return key;
            key.close();
        }
        throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "wrong owner passphrase for profile " + id);
    }

    /**
     * A new slot of the secret's type holding {@code dek} (wrapped by vault-crypto under the backend's KEK), at the
     * owner's Argon2id preset; a recovery code, 160 random bits that need no stretching, at the interactive one.
     */
    KeySlot wrapSlot(DataKey dek, int slotId, NewSlot slot, Instant now) {
        org.memoryvault.domain.model.KdfParameters kdf = slot.secret().type().equals(SlotType.RECOVERY_CODE)
                ? org.memoryvault.domain.model.KdfPreset.INTERACTIVE.parameters() : settings.kdfPreset().parameters();
        return keySource.wrap(slot.secret().type(), new KeySource.WrapRequest(slotId, slot.label(), kdf, now), dek, slot.secret());
    }

    /** A new device slot of level 5 holding the device secret of {@code bound}, at the same costs as {@link #wrapSlot}. */
    KeySlot wrapDeviceSlot(DataKey bound, int slotId, NewSlot slot, Instant now) {
        org.memoryvault.domain.model.KdfParameters kdf = slot.secret().type().equals(SlotType.RECOVERY_CODE)
                ? org.memoryvault.domain.model.KdfPreset.INTERACTIVE.parameters() : settings.kdfPreset().parameters();
        return keySource.wrapDeviceSecret(slot.secret().type(), new KeySource.WrapRequest(slotId, slot.label(), kdf, now),
                bound, slot.secret());
    }

    /**
     * The owner's key with the device secret of level 5 (docs/FORMAT.md §3), checked against the
     * profile's locks; the caller closes it. With {@code recoveryCode}, only the profile's
     * recovery-code device slots are tried with it; otherwise every device slot whose backend needs
     * nothing typed (the device is the secret), in slot order, until one opens.
     */
    public OwnedKey level5Key(ProfileId id, DataKey owner, Optional<SlotSecret> recoveryCode) {
        if (!owner.isOwner()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "level 5 opens with the owner's key only");
        }
        TierLocks current = profile(id).locks();
        List<String> refusals = new ArrayList<>();
        List<KeySlot> slots = profiles.deviceSlots(id);
        for (KeySlot slot : slots) {
            boolean code = slot.type().equals(SlotType.RECOVERY_CODE);
            if (recoveryCode.isPresent() != code || !keySource.types().contains(slot.type())) continue;
            if (!code && keySource.input(slot.type()) != org.memoryvault.domain.port.SlotBackend.SecretInput.NONE) continue;
            SlotSecret secret = code ? recoveryCode.get() : SlotSecret.of(slot.type(), new byte[0]);
            DataKey bound;
            try {
                bound = keySource.unwrapDeviceSecret(slot, owner, secret);
            } catch (AccessRefusedException e) {
                refusals.add(slot.type().wireName() + " slot " + slot.slotId() + ": " + e.getMessage());
                continue;
            } finally {
                if (!code) secret.close();
            }
            try {
                sealer.requireAuthentic(bound, current);
            } catch (RuntimeException e) {
                bound.close();
                throw e;
            }
            return OwnedKey.adopt(bound);
        }
        if (slots.isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "level 5 of profile " + id + " is not bound to a device");
        }
        String tried = refusals.isEmpty() ? "" : ": " + String.join("; ", refusals);
        throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "level 5 of profile " + id + " is bound to a device"
                + (recoveryCode.isPresent() ? " and the recovery code given does not open it" : " and none of its devices opened it")
                + tried + (recoveryCode.isPresent() ? "" : " (a lost device: `vault profile bind-level5 " + id
                + " --type TYPE --recovery-code-file FILE` binds another one with the recovery code)"));
    }

    /** Each owner-type slot the caller's secret opens, wrapped again around {@code owner} (the same slot id and cost). */
    List<KeySlot> rewrapOpenedOwnerSlots(Profile profile, DataKey owner, Instant now) {
        return rewrapOpenedSlots(profile, owner, now, slot -> slot.type().holdsOwnerKey());
    }

    /**
     * Each slot of the profile that a secret at hand opens (the passphrase given, the key file, a
     * device that needs nothing typed), wrapped again around {@code next} (the same slot id, label
     * and cost): for a re-key, which keeps the slots it can open and names the others.
     */
    List<KeySlot> rewrapOpenedSlots(Profile profile, DataKey next, Instant now) {
        return rewrapOpenedSlots(profile, next, now, slot -> true);
    }

    private List<KeySlot> rewrapOpenedSlots(Profile profile, DataKey key, Instant now, Predicate<KeySlot> which) {
        List<KeySlot> out = new ArrayList<>();
        for (KeySlot slot : profile.slots()) {
            if (!which.test(slot) || !keySource.types().contains(slot.type())) continue;
            Optional<SlotSecret> secret;
            try {
                secret = secrets.secretFor(profile, slot, keySource.input(slot.type()));
            } catch (InvalidInputException e) {
                if (e.code() != ErrorCode.INPUT_KEY_FILE) throw e;
                continue;                    // a key file that is not this slot's: the slot is not at hand
            }
            if (secret.isEmpty()) continue;
            try (SlotSecret s = secret.get()) {
                keySource.unwrap(slot, profile.id(), profile.keyVersion(), s).close();
                out.add(keySource.wrap(slot.type(), new KeySource.WrapRequest(slot.slotId(), slot.label(),
                        slot.kdf().orElse(settings.kdfPreset().parameters()), now), key, s));
            } catch (AccessRefusedException notThisSlot) {
                // another passphrase, another device: this slot is not at hand (an upgrade leaves it at levels 0-2)
            }
        }
        return out;
    }

    /** Whether the profile is being re-keyed (a re-key started and not finished). */
    public boolean rekeyPending(ProfileId id) { return profiles.pendingRekey(id).isPresent(); }

    /**
     * A key-file-tier key upgraded to the owner's key where the profile escrows it (no owner passphrase
     * yet); and any owner key checked against the profile's public locks, so public keys replaced in
     * vault.db (to have level 3-5 memories sealed to someone else's key) are caught at the owner's
     * next unlock, and a forged slot with another owner key proves nothing.
     */
    private OwnedKey withEscrow(Profile profile, DataKey key) {
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
        return OwnedKey.adopt(owner);
    }
}
