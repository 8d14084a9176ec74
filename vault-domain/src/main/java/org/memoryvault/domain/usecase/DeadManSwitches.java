package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.DeadManSwitch;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.DeadManRepository;
import org.memoryvault.domain.port.HeirPackager;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * The dead-man switch (issue 14, docs/RECOVERY.md "Dead-man switch"). Arming, checking in,
 * disarming and changing heirs are owner ceremonies (the owner's secret, and a presence token where
 * one is enrolled). The packages are prepared when it is armed, at each check-in and when heirs
 * change, from memories the owner recalls then through the normal gates, and are kept only
 * age-encrypted to each heir. {@link #release} hands them out once the clock passed the deadline.
 * Every step is audited.
 */
public final class DeadManSwitches {
    private final DeadManRepository repo;
    private final HeirPackager packager;
    private final RecallMemory recall;
    private final OwnerProof owner;
    private final PresenceVerifier presence;
    private final Sealer sealer;
    private final VaultStateRepository state;
    private final AuditLog audit;
    private final Clock clock;

    public DeadManSwitches(DeadManRepository repo, HeirPackager packager, RecallMemory recall, OwnerProof owner, PresenceVerifier presence,
                           Sealer sealer, VaultStateRepository state, AuditLog audit, Clock clock) {
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.packager = Objects.requireNonNull(packager, "packager");
        this.recall = Objects.requireNonNull(recall, "recall");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.state = Objects.requireNonNull(state, "state");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The switch as it stands, its heirs, and whether it is triggered now. */
    public record Status(Optional<DeadManSwitch> armed, List<Heir> heirs, boolean triggered, Instant now) {
        public Status {
            heirs = List.copyOf(heirs);
        }
    }

    /** What a check-in did: the new deadline, and whether the packages were prepared again (else why not). */
    public record CheckIn(DeadManSwitch armed, Optional<String> notPrepared) {}

    public Status status() {
        Instant now = now();
        Optional<DeadManSwitch> s = repo.current();
        return new Status(s, repo.heirs(), s.map(x -> x.triggered(now)).orElse(false), now);
    }

    public DeadManSwitch arm(Duration interval, List<MemoryId> memories, String justification) {
        state.lockdown().refuseIfActive("arming the dead-man switch");
        if (repo.current().isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "the dead-man switch is armed already: `vault dms disarm` first");
        }
        List<Heir> heirs = repo.heirs();
        if (heirs.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_STATE, "no heirs: add one first (`vault dms heir add NAME age1...`)");
        Instant now = now();
        DeadManSwitch unsigned = DeadManSwitch.armed(now, interval, memories, justification);
        try (OwnedKey key = ceremonyKey("arming the dead-man switch")) {
            DeadManSwitch armed = unsigned.signed(java.util.HexFormat.of().formatHex(sealer.signAsOwner(key.key(), unsigned.signedText())));
            Map<String, byte[]> packages = prepare(armed, heirs, key.key());
            owner.ceremony(key.key(), () -> {
                repo.save(armed);
                packages.forEach(repo::putPackage);
                audit.append(AuditEvent.of(AuditEvent.DMS_ARM, now).with("deadline", armed.deadline().toString())
                        .with("interval_seconds", interval.getSeconds()).with("memories", ids(armed.memories()))
                        .with("heirs", names(heirs)).with("justification", justification));
            });
            return armed;
        }
    }

    /** The owner is alive: the deadline moves one interval on, and the packages are prepared again if the gates let every recall through. */
    public CheckIn checkin() {
        DeadManSwitch current = repo.current().orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_STATE, "the dead-man switch is not armed"));
        Instant now = now();
        try (OwnedKey key = ceremonyKey("checking in to the dead-man switch")) {
            // rows edited outside the vault (an heir's recipient, the interval, the memories) stop the check-in, loudly
            requireSigned(current, repo.heirs(), key.key());
            // a check-in must never fail for a recall the gates refuse (a cooldown, lockdown): the old packages stay then
            Optional<Map<String, byte[]>> packages;
            Optional<String> why = Optional.empty();
            DeadManSwitch moved = current.checkedIn(now);
            try {
                packages = Optional.of(prepare(moved, repo.heirs(), key.key()));
            } catch (VaultException e) {
                packages = Optional.empty();
                why = Optional.of(e.getMessage());
            }
            DeadManSwitch next = packages.isPresent() ? moved.preparedAt(now) : moved;
            Optional<Map<String, byte[]>> fresh = packages;
            Optional<String> reason = why;
            owner.ceremony(key.key(), () -> {
                repo.save(next);
                fresh.ifPresent(p -> p.forEach(repo::putPackage));
                AuditEvent e = AuditEvent.of(AuditEvent.DMS_CHECKIN, now).with("deadline", next.deadline().toString())
                        .with("prepared", fresh.isPresent());
                audit.append(reason.isPresent() ? e.with("not_prepared", reason.get()) : e);
            });
            return new CheckIn(next, reason);
        }
    }

    public void disarm() {
        DeadManSwitch current = repo.current().orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_STATE, "the dead-man switch is not armed"));
        try (OwnedKey key = ceremonyKey("disarming the dead-man switch")) {
            owner.ceremony(key.key(), () -> {
                repo.disarm();
                audit.append(AuditEvent.of(AuditEvent.DMS_DISARM, now()).with("deadline", current.deadline().toString()));
            });
        }
    }

    /** Adds an heir; when armed, every package is prepared again (so the new heir has one). */
    public Heir addHeir(String name, String recipient) {
        state.lockdown().refuseIfActive("changing the dead-man switch's heirs");
        Instant now = now();
        Heir unsignedHeir = new Heir(name, recipient.strip(), now, "");
        if (repo.heirs().stream().anyMatch(h -> h.name().equals(name))) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "an heir named " + name + " exists");
        }
        try (OwnedKey key = ceremonyKey("adding an heir to the dead-man switch")) {
            Heir heir = new Heir(name, unsignedHeir.recipient(), now, java.util.HexFormat.of().formatHex(
                    sealer.signAsOwner(key.key(), Heir.signedText(name, unsignedHeir.recipient(), now))));
            Optional<DeadManSwitch> armed = repo.current();
            List<Heir> all = new ArrayList<>(repo.heirs());
            all.add(heir);
            packager.seal(List.of(heir), new HeirPackager.Manifest(now, now, "recipient check"), List.of());   // a bad recipient fails here, before any recall
            Optional<Map<String, byte[]>> packages = armed.isPresent() ? Optional.of(prepare(armed.get(), all, key.key())) : Optional.empty();
            owner.ceremony(key.key(), () -> {
                repo.addHeir(heir);
                packages.ifPresent(p -> {
                    p.forEach(repo::putPackage);
                    repo.save(armed.get().preparedAt(now));
                });
                audit.append(AuditEvent.of(AuditEvent.DMS_HEIR_ADD, now).with("heir", name).with("recipient", heir.recipient()));
            });
            return heir;
        }
    }

    public void removeHeir(String name) {
        state.lockdown().refuseIfActive("changing the dead-man switch's heirs");
        if (repo.heirs().stream().noneMatch(h -> h.name().equals(name))) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_HEIR, "no heir named " + name);
        }
        try (OwnedKey key = ceremonyKey("removing an heir of the dead-man switch")) {
            owner.ceremony(key.key(), () -> {
                repo.removeHeir(name);
                audit.append(AuditEvent.of(AuditEvent.DMS_HEIR_REMOVE, now()).with("heir", name));
            });
        }
    }

    /**
     * Once triggered, hands each heir's package to {@code sink} (heir name, age file), then audits
     * the release; before the deadline, refuses.
     */
    public List<String> release(BiConsumer<String, byte[]> sink) {
        DeadManSwitch current = repo.current().orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_STATE, "the dead-man switch is not armed"));
        Instant now = now();
        if (!current.triggered(now)) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "the dead-man switch is not triggered: its deadline is "
                    + current.deadline() + " (now " + now + ")");
        }
        List<String> released = new ArrayList<>();
        for (Heir h : repo.heirs()) {
            Optional<byte[]> p = repo.packageOf(h.name());
            if (p.isEmpty()) continue;
            sink.accept(h.name(), p.get());
            released.add(h.name());
        }
        audit.append(AuditEvent.of(AuditEvent.DMS_RELEASE, now).with("deadline", current.deadline().toString())
                .with("heirs", String.join(" ", released)));
        return released;
    }

    /** The owner's key, proved now, and a presence token's code where one is enrolled. */
    private OwnedKey ceremonyKey(String purpose) {
        OwnedKey key = owner.proveVaultOwner();
        if (presence.anyEnrolled()) {
            Optional<DataKey> ownerKey = key.isOwner() ? Optional.of(key.key()) : Optional.empty();
            PresenceVerifier.Decision d = presence.verify(new PresenceVerifier.Request(purpose, ownerKey));
            if (!d.present()) {
                key.close();
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "presence token: " + d.reason());
            }
        }
        return key;
    }

    /**
     * Recalls every memory through the gates (as the owner) and seals one package per heir, after
     * checking with the owner's key that the switch's memories and every heir's recipient are the ones
     * the owner signed (vault.db is writable by a same-user process: a swapped recipient would get the
     * contents).
     */
    private Map<String, byte[]> prepare(DeadManSwitch s, List<Heir> heirs, DataKey ownerKey) {
        requireSigned(s, heirs, ownerKey);
        List<HeirPackager.Item> items = new ArrayList<>();
        try {
            for (MemoryId id : s.memories()) {
                RecallMemory.Recalled r = recall.execute(new RecallMemory.Request(id, new Requester.Owner(),
                        "dead-man switch: " + s.justification(), Optional.empty()));
                items.add(new HeirPackager.Item(r.memory(), r.plaintext()));
            }
            return packager.seal(heirs, new HeirPackager.Manifest(now(), s.deadline(), s.justification()), items);
        } finally {
            items.forEach(i -> i.content().close());
        }
    }

    /** The switch's memories and interval, and every heir's recipient, are the ones the owner signed; else INTEGRITY_TAMPERED naming what. */
    private void requireSigned(DeadManSwitch s, List<Heir> heirs, DataKey ownerKey) {
        byte[] sealKey = sealer.ownerSealKey(ownerKey);
        if (!signedBy(sealKey, s.signedText(), s.signature())) {
            throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the dead-man switch's memories,"
                    + " interval or justification in vault.db are not the ones the owner armed it with (edited outside the vault):"
                    + " disarm and arm again", null);
        }
        for (Heir h : heirs) {
            if (!signedBy(sealKey, Heir.signedText(h.name(), h.recipient(), h.addedAt()), h.signature())) {
                throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "heir " + h.name() + "'s row in"
                        + " vault.db is not the one the owner added (its recipient was changed, or it was added, outside the vault):"
                        + " remove it and add it again", null);
            }
        }
    }

    private boolean signedBy(byte[] publicKey, byte[] text, String signatureHex) {
        try {
            return signatureHex.length() == 128 && sealer.verifySignature(publicKey, text, java.util.HexFormat.of().parseHex(signatureHex));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The clock, to the millisecond: what is stored and what is audited are the same instant. */
    private Instant now() { return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); }

    private static String ids(List<MemoryId> ids) { return ids.stream().map(MemoryId::toString).collect(Collectors.joining(" ")); }

    private static String names(List<Heir> heirs) { return heirs.stream().map(Heir::name).collect(Collectors.joining(" ")); }
}
