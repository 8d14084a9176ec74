package org.memoryvault.domain.port;

import java.time.Instant;
import java.util.Optional;

/**
 * How many recalls were refused since a time, by one requester or in total (from the audit log).
 * Wrong secrets count too, under the requester {@code secret:<profile>} (see {@code AnomalyWatch}).
 */
public interface RefusalHistory {
    long refusedRecalls(Optional<String> requester, Instant since);
}
