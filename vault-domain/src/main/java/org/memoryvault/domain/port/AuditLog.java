package org.memoryvault.domain.port;

import org.memoryvault.domain.model.AuditEvent;

/**
 * The tamper-evident log of security events. {@link #append} joins the caller's transaction, so an
 * event commits together with the change it records, or not at all.
 */
public interface AuditLog {
    /** Appends one event and returns its leaf index. */
    long append(AuditEvent event);

    /** Appends events in order, all or none, and returns their leaf indexes. */
    /** The log's current size and root hash (hex); joins the caller's transaction. */
    Head head();

    /**
     * Whether the tree of the first {@code size} entries has root {@code rootHex}, shown from the
     * stored hashes (a consistency proof to the current tree; {@code vault audit verify} recomputes
     * everything from the entries).
     */
    boolean hasPrefix(long size, String rootHex);

    /** How many entries of {@code type} the log holds. */
    long countOfType(String type);

    /** A log size and the root hash of the tree of that many entries (lower-case hex). */
    record Head(long size, String rootHex) {}

    default java.util.List<Long> appendAll(java.util.List<AuditEvent> events) {
        return events.stream().map(this::append).toList();
    }
}
