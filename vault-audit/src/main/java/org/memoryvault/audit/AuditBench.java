package org.memoryvault.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.port.Transactions;

/**
 * Timings for {@code vault bench}: appends synthetic events to a wired log, then measures proofs and
 * a full verify. Run it on a scratch vault; it appends for real. For the design target (verify of
 * 1,000,000 entries in at most 30 s with a heap below 256 MiB) run the JVM with {@code -Xmx256m}.
 */
public final class AuditBench {
    private AuditBench() {}

    /** What one run measured. */
    public record Result(long entries, long checkpoints, Duration append, Duration inclusionProof,
                         Duration consistencyProof, Duration verify, boolean verified, long maxHeapBytes) {}

    /**
     * Appends {@code entries} events, {@code perTransaction} per transaction, signing a checkpoint
     * after every {@code checkpointEvery} entries (and at the end), then times one inclusion proof,
     * one consistency proof and a full verify.
     */
    public static Result run(MerkleAuditLog log, AuditQueries queries, AuditVerifier verifier, Transactions tx, Clock clock,
                             long entries, int perTransaction, long checkpointEvery) {
        Objects.requireNonNull(log, "log");
        if (entries < 1 || perTransaction < 1 || checkpointEvery < 1) throw new IllegalArgumentException("counts must be positive");
        long start = System.nanoTime();
        long checkpoints = 0;
        long done = 0;
        while (done < entries) {
            long batch = Math.min(perTransaction, entries - done);
            long from = done;
            tx.run(() -> {
                for (long i = from; i < from + batch; i++) {
                    log.append(AuditEvent.of(AuditEvent.RECALL_REFUSED, clock.instant())
                            .with("memory_id", "00000000-0000-4000-8000-" + String.format("%012d", i % 1000))
                            .with("requester", "bench-agent").with("gate", "cooldown").with("code", "ACCESS_COOLDOWN")
                            .with("reason", "bench entry " + i));
                }
            });
            long before = done;
            done += batch;
            if (done / checkpointEvery != before / checkpointEvery || done == entries) {
                if (log.checkpointIfGrown().isPresent()) checkpoints++;
            }
        }
        Duration append = Duration.ofNanos(System.nanoTime() - start);
        long t = System.nanoTime();
        queries.inclusionProof(entries / 3, OptionalLong.empty());
        Duration inclusion = Duration.ofNanos(System.nanoTime() - t);
        t = System.nanoTime();
        queries.consistencyProof(entries / 3 + 1, OptionalLong.empty());
        Duration consistency = Duration.ofNanos(System.nanoTime() - t);
        t = System.nanoTime();
        Verification v = verifier.verify();
        Duration verify = Duration.ofNanos(System.nanoTime() - t);
        return new Result(entries, checkpoints, append, inclusion, consistency, verify, v.ok(), Runtime.getRuntime().maxMemory());
    }

    /** Times a full verify of an existing log. */
    public static Duration timeVerify(AuditVerifier verifier) {
        long t = System.nanoTime();
        verifier.verify();
        return Duration.ofNanos(System.nanoTime() - t);
    }
}
