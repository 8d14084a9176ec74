package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.Escrow;

/** Escrows and their age-encrypted share files (docs/FORMAT.md §15). Calls inside {@link Transactions} join it. */
public interface EscrowRepository {
    /** Adds an escrow with one age file per holder, in holder order. */
    void insert(Escrow escrow, List<byte[]> shareFiles);

    Optional<Escrow> find(String id);

    /** Every escrow, oldest first. */
    List<Escrow> list();

    /** The age file of holder {@code index} of escrow {@code id}. */
    Optional<byte[]> shareFile(String id, int index);

    /** Removes the escrow and its share files; false if there was none. */
    boolean delete(String id);
}
