package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.MemoryRepository;
import org.memoryvault.domain.port.Transactions;

/**
 * Logs a memory's current content commitment in a {@code memory.commit} entry, for an existence
 * proof (docs/PROOFS.md) of a memory whose {@code memory.store} entry does not carry it: one stored
 * before store entries carried commitments, or sealed again since (a re-key, a level-5 binding), which
 * gives it a new one. The commitment is keyed, so the entry reveals nothing of the content.
 *
 * <p>Security: the commitment column is only a row in vault.db, which a same-user process can edit;
 * so only a commitment a granted recall just checked against the memory's ciphertext (the caller
 * passes it) is logged, and only while the row still holds it.
 */
public final class CommitMemory {
    private final MemoryRepository memories;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public CommitMemory(MemoryRepository memories, AuditLog audit, Transactions tx, Clock clock) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Appends the entry for {@code verified}, the commitment a granted recall checked, in one
     * transaction with the read of the memory; returns its index in the log.
     */
    public long execute(MemoryId id, ContentCommitment verified) {
        return tx.inTransaction(() -> {
            Memory m = memories.find(id).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_MEMORY, "no memory with id " + id));
            if (m.commitment().matches(ContentCommitment.SHREDDED)) {
                throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + id + " was shredded: it has no content to commit to");
            }
            if (!m.commitment().matches(verified)) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the commitment of memory " + id
                        + " changed since the recall that checked it", null);
            }
            return audit.append(AuditEvent.of(AuditEvent.COMMIT, clock.instant()).with("memory_id", id.toString())
                    .with("classification", m.classification().level()).with("profile", m.profile().value())
                    .with("key_version", m.keyVersion()).with("commitment", m.commitment().hex()));
        });
    }
}
