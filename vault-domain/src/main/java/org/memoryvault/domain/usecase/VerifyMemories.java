package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.Transactions;

/**
 * The long-term integrity scrub ({@code vault verify --deep}): authenticates every live memory's
 * ciphertext and checks its content commitment, without returning any plaintext. Tombstoned
 * memories are not decrypted (a tombstone is permanent) and are counted as skipped; so are memories
 * above the reach of the key at hand (levels 3-5 without the owner's key are counted as
 * {@code unreachable}, never opened).
 *
 * <p>Security: plaintext exists only inside this use case and is wiped at once. The profiles of
 * the memories must be unlockable (cached key, session, key file or passphrase).
 */
public final class VerifyMemories {
    public record Damaged(MemoryId id, ErrorCode code, String reason) {}

    public record Progress(long checked, long damaged) {}

    public record Report(long checked, long skipped, long unreachable, List<Damaged> damaged, long auditIndex) {
        public Report {
            damaged = List.copyOf(damaged);
        }
    }

    private static final int PAGE = 500;
    private final java.util.Set<org.memoryvault.domain.model.ProfileId> noOwnerKey = new java.util.HashSet<>();

    private final MemoryRepository memories;
    private final KeyAccess keys;
    private final OwnerProof ownerProof;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public VerifyMemories(MemoryRepository memories, KeyAccess keys, OwnerProof ownerProof, Sealer sealer, AuditLog audit,
                          Transactions tx, Clock clock) {
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Report execute(Consumer<Progress> progress) {
        long checked = 0;
        long skipped = 0;
        long unreachable = 0;
        List<Damaged> damaged = new ArrayList<>();
        java.util.Map<org.memoryvault.domain.model.ProfileId, Boolean> rekeying = new java.util.HashMap<>();
        Optional<MemoryId> after = Optional.empty();
        while (true) {
            List<Memory> page = memories.page(after, PAGE);
            if (page.isEmpty()) break;
            for (Memory m : page) {
                if (rekeying.computeIfAbsent(m.profile(), keys::rekeyPending)) {
                    throw new org.memoryvault.domain.error.InvalidInputException(org.memoryvault.domain.error.ErrorCode.INPUT_STATE,
                            "profile " + m.profile() + " is being re-keyed: finish it first (`vault profile rekey " + m.profile() + "`)");
                }
                if (m.isTombstoned()) {
                    skipped++;
                    continue;
                }
                DataKey key = keys.dataKey(m.profile()).key();
                if (m.classification().level() == 5 && keys.profile(m.profile()).locks().level5Bound()) {
                    unreachable++;              // bound to a device, which a verification does not ask for
                    continue;
                }
                if (m.classification().level() > key.reach()) {
                    Optional<DataKey> owner = ownerKey(m.profile());
                    if (owner.isEmpty()) {
                        unreachable++;
                        continue;
                    }
                    key = owner.get();
                }
                checked++;
                check(m, key).ifPresent(damaged::add);
            }
            after = Optional.of(page.get(page.size() - 1).id());
            progress.accept(new Progress(checked, damaged.size()));
        }
        long c = checked;
        long s = skipped;
        long u = unreachable;
        long index = tx.inTransaction(() -> audit.append(AuditEvent.of(AuditEvent.VERIFY_DEEP, clock.instant())
                .with("checked", c).with("skipped", s).with("unreachable", u).with("damaged", (long) damaged.size())));
        return new Report(checked, skipped, unreachable, damaged, index);
    }

    /** The owner's key when the owner's secret is at hand (asked once per profile); empty otherwise. */
    private Optional<DataKey> ownerKey(org.memoryvault.domain.model.ProfileId profile) {
        if (noOwnerKey.contains(profile)) return Optional.empty();
        try {
            return Optional.of(ownerProof.ownerKey(profile).key());
        } catch (org.memoryvault.domain.error.VaultException e) {
            noOwnerKey.add(profile);
            return Optional.empty();
        }
    }

    private Optional<Damaged> check(Memory m, DataKey dek) {
        if (m.sealed().isEmpty()) {
            return Optional.of(new Damaged(m.id(), ErrorCode.INTEGRITY_TAMPERED, "no ciphertext, but not shredded"));
        }
        if (dek.keyVersion() != m.keyVersion()) {
            return Optional.of(new Damaged(m.id(), ErrorCode.INTEGRITY_WRONG_KEY, "sealed under key version " + m.keyVersion()
                    + ", profile is at " + dek.keyVersion()));
        }
        try (Plaintext p = sealer.open(dek, m.associatedData(), m.sealed().get(), m.commitment())) {
            return Optional.empty();
        } catch (IntegrityException e) {
            return Optional.of(new Damaged(m.id(), e.code(), e.getMessage()));
        }
    }
}
