package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Escrow;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.EscrowRepository;
import org.memoryvault.domain.port.KeyEscrow;
import org.memoryvault.domain.port.ProfileRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Shamir escrow of a profile's owner key (docs/FORMAT.md §15, issue 14): the owner splits it among
 * holders, each share age-encrypted to its holder; any threshold of the shares, handed back, put the
 * key into a new owner passphrase slot. Creating, recovering and deleting are owner ceremonies
 * (recovery proves the owner by the recovered key itself, checked against the profile's locks);
 * each step is audited. Creating and deleting are refused during lockdown; recovering is not (the shares prove the owner).
 */
public final class KeyEscrows {
    private final EscrowRepository escrows;
    private final KeyEscrow crypto;
    private final KeyAccess keys;
    private final OwnerProof owner;
    private final ProfileRepository profiles;
    private final Sealer sealer;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    public KeyEscrows(EscrowRepository escrows, KeyEscrow crypto, KeyAccess keys, OwnerProof owner, ProfileRepository profiles,
                      Sealer sealer, VaultStateRepository state, AuditLog audit, Clock clock) {
        this.escrows = Objects.requireNonNull(escrows, "escrows");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Splits the owner key of {@code profile} (proved now) {@code threshold}-of-n among {@code recipients}. */
    public Escrow create(ProfileId profile, int threshold, List<KeyEscrow.Recipient> recipients) {
        state.lockdown().refuseIfActive("creating an escrow");
        if (recipients.size() < 2 || threshold < 2 || threshold > recipients.size() || recipients.size() > 255) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an escrow needs 2 <= --threshold <= recipients <= 255 (threshold "
                    + threshold + ", " + recipients.size() + " recipients)");
        }
        if (recipients.stream().map(r -> r.ageRecipient().strip().toLowerCase(java.util.Locale.ROOT)).distinct().count() != recipients.size()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "two holders have the same age recipient: one identity would then"
                    + " hold two shares (give each holder their own key)");
        }
        Instant now = clock.instant();
        try (OwnedKey proven = owner.prove(profile)) {
            if (!proven.isOwner()) {
                throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "profile " + profile + " has no owner key (it was created"
                        + " before key tiers): run `vault profile upgrade " + profile + "` first");
            }
            KeyEscrow.Split split = crypto.split(proven.key(), threshold, recipients, now);
            Escrow e = split.escrow();
            owner.ceremony(proven.key(), () -> {
                escrows.insert(e, split.shareFiles());
                audit.append(AuditEvent.of(AuditEvent.ESCROW_CREATE, now).with("escrow_id", e.id()).with("profile", profile.value())
                        .with("key_version", e.keyVersion()).with("threshold", e.threshold()).with("shares", e.shares())
                        .with("holders", e.holders().stream().map(Escrow.Holder::name).collect(Collectors.joining(" ")))
                        .with("recipients", e.holders().stream().map(Escrow.Holder::recipient).collect(Collectors.joining(" "))));
            });
            return e;
        }
    }

    public List<Escrow> list() { return escrows.list(); }

    public Escrow info(String id) {
        return escrows.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_ESCROW, "no escrow with id " + id));
    }

    /**
     * The age file of one holder's share (it opens only with that holder's age identity), handed to
     * {@code sink} (which writes it out); audited once the sink returned.
     */
    public void export(String id, String holder, java.util.function.Consumer<byte[]> sink) {
        Escrow e = info(id);
        Escrow.Holder h = e.holders().stream().filter(x -> x.name().equals(holder)).findFirst()
                .orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_ESCROW, "escrow " + id + " has no holder named " + holder
                        + " (holders: " + e.holders().stream().map(Escrow.Holder::name).collect(Collectors.joining(", ")) + ")"));
        byte[] file = escrows.shareFile(id, h.index())
                .orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_ESCROW, "the share file of " + holder + " is missing"));
        sink.accept(file);
        audit.append(AuditEvent.of(AuditEvent.ESCROW_EXPORT, clock.instant()).with("escrow_id", id).with("holder", holder));
    }

    /**
     * Recovers the owner key of {@code profile} from share documents and wraps it into a new owner
     * passphrase slot. The key must be the profile's (its locks say so, by cryptography) at the
     * profile's current key version.
     */
    public KeySlot recover(ProfileId profile, List<KeyEscrow.ShareDocument> shares, NewSlot slot) {
        // not refused during lockdown: k shares prove the owner by cryptography (the recovered key must derive the profile's
        // locks), and a lost passphrase plus a few wrong guesses is how a vault lands in lockdown; `lockdown exit` follows
        if (!slot.secret().type().equals(SlotType.PASSPHRASE)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a recovered key goes into a new passphrase slot");
        }
        Profile p = keys.profile(profile);
        if (p.locks().isNone()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "profile " + profile + " has no owner key (it was created"
                    + " before key tiers), so it has no escrow");
        }
        Instant now = clock.instant();
        String[] used = new String[1];
        try (OwnedKey recovered = OwnedKey.adopt(crypto.recover(shares, id -> {
            used[0] = id;
            return escrows.find(id);
        }))) {
            DataKey key = recovered.key();
            if (!key.profile().equals(profile)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the shares are of an escrow of profile " + key.profile()
                        + ", not " + profile);
            }
            if (key.keyVersion() != p.keyVersion()) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "escrow " + used[0] + " holds profile " + profile + "'s keys of key"
                        + " version " + key.keyVersion() + ", but the profile was re-keyed to version " + p.keyVersion()
                        + " since: its levels 0-2 key is not in the escrow (make a new escrow after a re-key)");
            }
            sealer.requireAuthentic(key, p.locks());     // the profile's public keys are the ones this owner key derives
            boolean firstOwnerSlot = !p.hasOwnerSlot() && p.locks().ownerEscrow().isPresent();
            KeySlot made = keys.wrapSlot(key, p.nextSlotId(), slot, now);
            owner.ceremony(key, () -> {
                profiles.addSlot(profile, made);
                if (firstOwnerSlot) profiles.updateLocks(profile, p.locks().withoutEscrow());
                keys.forgetLocks(profile);
                audit.append(AuditEvent.of(AuditEvent.ESCROW_RECOVER, now).with("escrow_id", used[0]).with("profile", profile.value())
                        .with("key_version", key.keyVersion()).with("slot", made.slotId()).with("shares", (long) shares.size()));
            });
            return made;
        }
    }

    /**
     * Deletes an escrow's record and share files; an owner ceremony, refused during lockdown. The
     * shares its holders have still recover the owner key, which no re-key changes (docs/RECOVERY.md).
     */
    public void delete(String id) {
        state.lockdown().refuseIfActive("deleting an escrow");
        Escrow e = info(id);
        try (OwnedKey proven = owner.prove(e.profile())) {
            owner.ceremony(proven.key(), () -> {
                if (!escrows.delete(id)) throw new NotFoundException(ErrorCode.NOT_FOUND_ESCROW, "no escrow with id " + id);
                audit.append(AuditEvent.of(AuditEvent.ESCROW_DELETE, clock.instant()).with("escrow_id", id)
                        .with("profile", e.profile().value()));
            });
        }
    }
}
