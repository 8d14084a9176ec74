package org.memoryvault.audit;

import java.time.Instant;
import java.util.Objects;

/** One log entry as listed or exported: its index, type and time, and the exact entry text (the leaf bytes, UTF-8). */
public record AuditRecord(long index, String type, Instant at, String entry) {
    public AuditRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
    }

    /** {@code {"index":i,"entry":"<exact entry text>"}} (CLI contract). */
    public String toJson() {
        return "{\"index\":" + index + ",\"entry\":" + CanonicalJson.quote(entry) + "}";
    }
}
