package org.memoryvault.domain.usecase;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.BorrowedKey;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * The vault's one rule for who is the owner, and the shape of every owner ceremony. Callers (the
 * CLI, the MCP server, an embedding program) pass no slot types: which secret proves the owner is
 * decided here.
 *
 * <ul>
 *   <li>A profile's secret proves its owner once the profile has an owner slot (a passphrase,
 *       {@link SlotType#holdsOwnerKey()}): then only that slot's secret counts, so a key file or
 *       token, which agents hold, cannot act as the owner. Before, any slot's secret does.</li>
 *   <li>Leaving lockdown takes the owner profile's owner-slot secret, or any of its slots where
 *       the owner chose {@code lockdown.exit-secret = any}.</li>
 *   <li>An owner ceremony is: prove the secret, then one transaction that checks the state against
 *       the newest owner seal, makes the change and its audit entry, and seals the result
 *       ({@link OwnerSeals}).</li>
 * </ul>
 *
 * <p>Security: every key returned here was proved from a secret in this call ({@link OwnedKey}),
 * except {@link #ownerKey}, which may be the owner key this process already holds.
 */
public final class OwnerProof {
    private final KeyAccess keys;
    private final VaultStateRepository state;
    private final VaultSettings settings;
    private final Transactions tx;
    private volatile Consumer<DataKey> ceremonyBegin = k -> { };
    private volatile Consumer<DataKey> ceremonyEnd = k -> { };

    public OwnerProof(KeyAccess keys, VaultStateRepository state, VaultSettings settings, Transactions tx) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    /** The owner's profile (the vault's first profile). */
    public ProfileId ownerProfile() {
        return state.ownerProfile().orElseThrow(() ->
                new InvalidInputException(ErrorCode.INPUT_STATE, "the vault has no owner profile yet; create a profile first"));
    }

    /** Proves the owner of {@code profile} now (see the class rule); the caller closes the key. */
    public OwnedKey prove(ProfileId profile) {
        Profile p = keys.profile(profile);
        boolean hasOwnerSlot = p.hasOwnerSlot();
        OwnedKey key;
        try {
            key = keys.unlock(p, hasOwnerSlot ? SlotType::holdsOwnerKey : t -> true);
        } catch (InvalidInputException e) {
            if (e.code() != ErrorCode.INPUT_SECRET_MISSING || !hasOwnerSlot) throw e;
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "this needs the owner's passphrase of profile " + profile
                    + ": give --passphrase-file FILE, or type it when asked on a terminal (a key file or an unlock session"
                    + " does not prove the owner)");
        }
        if (!key.isOwner() && !p.locks().isNone()) {
            // A profile with key tiers: the owner's slots hold the owner key. One that does not (a slot
            // forged with the key-file tier, or a passphrase an upgrade left at levels 0-2) proves nothing.
            key.close();
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "that secret does not hold the owner key of profile "
                    + profile + ", so it does not prove the owner");
        }
        return key;
    }

    /** Proves the vault owner, by the owner profile's secret. */
    public OwnedKey proveVaultOwner() { return prove(ownerProfile()); }

    /** Proves the vault owner and returns the owner key itself ({@code ACCESS_CLEARANCE} for a profile made before key tiers). */
    OwnedKey proveVaultOwnerKey() {
        ProfileId profile = ownerProfile();
        OwnedKey key = prove(profile);
        if (!key.isOwner()) {
            key.close();
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "profile " + profile
                    + " has no owner key (it was created before key tiers): run `vault profile upgrade " + profile + "` first");
        }
        return key;
    }

    /** Proves the owner to leave lockdown: a secret of the owner profile, of the kind the owner's settings accept. */
    OwnedKey proveToLeaveLockdown(ProfileId profile) {
        if (!profile.equals(ownerProfile())) {
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET,
                    "only a secret of the owner's profile (" + ownerProfile() + ") lifts lockdown");
        }
        Profile p = keys.profile(profile);
        // lockdown.exit-secret = any widens the owner's passphrase to the owner profile's other slots; on a profile without a
        // passphrase that would be the key file agents hold, so there only the recovery code counts, whatever the setting says
        if (p.hasOwnerSlot()) return keys.unlock(p, settings.lockdownExitByAnySecret() ? t -> true : SlotType::holdsOwnerKey);
        if (p.slots().stream().noneMatch(s -> s.type().equals(SlotType.RECOVERY_CODE))) {
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "profile " + profile + " has neither a passphrase nor a"
                    + " recovery code, and its key file alone does not lift lockdown (docs/THREAT-MODEL.md, \"Lockdown without a passphrase\")");
        }
        try {
            return keys.unlock(p, SlotType.RECOVERY_CODE::equals);
        } catch (InvalidInputException e) {
            if (e.code() != ErrorCode.INPUT_SECRET_MISSING) throw e;
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "profile " + profile + " has no passphrase: leaving lockdown"
                    + " takes the recovery code `vault init` printed; give it with --passphrase-file FILE, or type it when asked on a terminal");
        }
    }

    /**
     * The owner key of the profile (it opens levels 3-5): the one this process holds, else proved
     * now and kept in the cache.
     */
    BorrowedKey ownerKey(ProfileId id) {
        Optional<BorrowedKey> cached = keys.cachedOwnerKey(id);
        if (cached.isPresent()) return cached.get();
        OwnedKey key = prove(id);
        if (!key.isOwner()) {
            key.close();
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "profile " + id
                    + " has no owner key (it was created before key tiers); run `vault profile upgrade " + id + "`");
        }
        return keys.keep(key);
    }

    /** The owner key from a passphrase given now (e.g. typed at a terminal approval); the caller closes it. */
    OwnedKey ownerKeyFrom(ProfileId id, SlotSecret secret) { return keys.ownerKeyFrom(id, secret); }

    /**
     * Sets what every owner ceremony begins and ends with, inside its transaction and with the key
     * it proved: the state must match the newest owner seal before the change
     * ({@link OwnerSeals#requireSealed}), and is sealed after it ({@link OwnerSeals#reseal}).
     * Nothing until set.
     */
    public void onCeremony(Consumer<DataKey> begin, Consumer<DataKey> end) {
        ceremonyBegin = Objects.requireNonNull(begin, "begin");
        ceremonyEnd = Objects.requireNonNull(end, "end");
    }

    /** One owner ceremony with a key proved by the caller: a transaction that checks the seal, runs {@code change} (with its audit entry), and seals. */
    public <T> T ceremony(DataKey proven, Supplier<T> change) {
        return tx.inTransaction(() -> {
            ceremonyBegin.accept(proven);
            T out = change.get();
            ceremonyEnd.accept(proven);
            return out;
        });
    }

    /** {@link #ceremony(DataKey, Supplier)} for a change with no result. */
    public void ceremony(DataKey proven, Runnable change) {
        ceremony(proven, () -> {
            change.run();
            return null;
        });
    }

    /** Begins a ceremony inside a transaction the caller already runs (see {@link #onCeremony}). */
    void begin(DataKey proven) { ceremonyBegin.accept(proven); }

    /** Ends a ceremony inside a transaction the caller already runs. */
    void end(DataKey proven) { ceremonyEnd.accept(proven); }
}
