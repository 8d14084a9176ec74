package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.memoryvault.domain.port.Transactions;

/**
 * {@link Transactions} over in-memory fakes. A transaction holds one lock (so transactions are
 * serialised, like SQLite's single writer); a nested call on the same thread joins the outer one.
 * When work fails, every registered {@link Participant} is restored to its state at the start of
 * the outermost transaction, so a failed transaction leaves nothing behind.
 *
 * <p>Writes made outside any transaction apply at once (autocommit), as in the real adapters.
 */
public final class InMemoryTransactions implements Transactions {
    /** An in-memory store that can roll back: {@link #snapshot()} returns the action that restores it. */
    public interface Participant {
        Runnable snapshot();
    }

    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private int commits;
    private int rollbacks;

    public InMemoryTransactions(Participant... participants) {
        for (Participant p : participants) register(p);
    }

    /** Adds a store whose state a failed transaction restores; returns it, for chaining. */
    public <P extends Participant> P register(P participant) {
        participants.add(Objects.requireNonNull(participant, "participant"));
        return participant;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) return work.get();                     // nested: join the outer transaction
            List<Runnable> restore = new ArrayList<>();
            for (Participant p : participants) restore.add(p.snapshot());
            try {
                T result = work.get();
                commits++;
                return result;
            } catch (RuntimeException | Error e) {
                restore.forEach(Runnable::run);
                rollbacks++;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while the calling thread is inside a transaction. */
    public boolean inTransactionNow() { return lock.isHeldByCurrentThread(); }

    /** Outermost transactions that committed. */
    public int commits() { return commits; }

    /** Outermost transactions that were rolled back. */
    public int rollbacks() { return rollbacks; }
}
