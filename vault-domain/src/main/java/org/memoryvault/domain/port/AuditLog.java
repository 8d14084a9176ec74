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
    default java.util.List<Long> appendAll(java.util.List<AuditEvent> events) {
        return events.stream().map(this::append).toList();
    }
}
