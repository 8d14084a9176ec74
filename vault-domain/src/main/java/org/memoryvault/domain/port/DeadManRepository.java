package org.memoryvault.domain.port;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.DeadManSwitch;
import org.memoryvault.domain.model.Heir;

/** The dead-man switch, its heirs and their prepared packages (docs/FORMAT.md §9). Calls inside {@link Transactions} join it. */
public interface DeadManRepository {
    Optional<DeadManSwitch> current();

    /** Arms it, or replaces the armed state. */
    void save(DeadManSwitch armed);

    /** Disarms it: the state and every prepared package go. */
    void disarm();

    /** Every heir, by name. */
    List<Heir> heirs();

    /** Adds an heir; {@code INPUT_INVALID} if one of that name exists. */
    void addHeir(Heir heir);

    /** Removes the heir and its package; false if there was none. */
    boolean removeHeir(String name);

    /** Stores the heir's package (an age file), replacing any. */
    void putPackage(String heir, byte[] ageFile);

    Optional<byte[]> packageOf(String heir);
}
