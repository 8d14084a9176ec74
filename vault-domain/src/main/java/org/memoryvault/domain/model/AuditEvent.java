package org.memoryvault.domain.model;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One security event, to become one leaf of the audit log. {@code type} is an open set of dotted
 * names (see the constants); {@code fields} hold strings, longs and booleans only.
 *
 * <p>Security: no plaintext content and no secret ever goes into an event. Justifications and
 * reasons are user text and are recorded as given.
 */
public record AuditEvent(String type, Instant at, Map<String, Object> fields) {
    public static final String PROFILE_CREATE = "profile.create";
    public static final String SLOT_ADD = "profile.slot.add";
    public static final String SLOT_REMOVE = "profile.slot.remove";
    public static final String REWRAP = "profile.rewrap";
    public static final String STORE = "memory.store";
    public static final String COMMIT = "memory.commit";
    public static final String ESCROW_CREATE = "escrow.create";
    public static final String ESCROW_EXPORT = "escrow.export";
    public static final String ESCROW_RECOVER = "escrow.recover";
    public static final String ESCROW_DELETE = "escrow.delete";
    public static final String DMS_ARM = "dms.arm";
    public static final String DMS_CHECKIN = "dms.checkin";
    public static final String DMS_DISARM = "dms.disarm";
    public static final String DMS_HEIR_ADD = "dms.heir.add";
    public static final String DMS_HEIR_REMOVE = "dms.heir.remove";
    public static final String DMS_RELEASE = "dms.release";
    public static final String RECALL_GRANTED = "memory.recall.granted";
    public static final String RECALL_REFUSED = "memory.recall.refused";
    public static final String RECALL_PENDING = "memory.recall.pending";
    public static final String TOMBSTONE = "memory.tombstone";
    public static final String INTENT_LINK = "intent.link";
    public static final String INTENT_UNLINK = "intent.unlink";
    public static final String PURGE = "memory.purge";
    public static final String LOCKDOWN_ENTER = "lockdown.enter";
    public static final String LOCKDOWN_EXIT = "lockdown.exit";
    public static final String LOCKDOWN_EXIT_REFUSED = "lockdown.exit.refused";
    public static final String VERIFY_DEEP = "vault.verify.deep";
    public static final String CONFIG_SET = "config.set";
    public static final String CONFIG_UNSET = "config.unset";
    /** A command was refused because a secret (passphrase or key file) was wrong; never holds the secret. */
    public static final String SECRET_REFUSED = "secret.refused";
    public static final String APPROVAL_REQUEST = "approval.request";
    public static final String APPROVAL_APPROVE = "approval.approve";
    public static final String APPROVAL_APPROVE_REFUSED = "approval.approve.refused";
    public static final String APPROVAL_DENY = "approval.deny";
    public static final String APPROVAL_USE = "approval.use";
    public static final String APPROVAL_EXPIRE = "approval.expire";
    public static final String PROFILE_UPGRADE = "profile.upgrade";
    public static final String PROFILE_REKEY_START = "profile.rekey.start";
    public static final String PROFILE_REKEY = "profile.rekey";
    public static final String PROFILE_REKEY_DISCARD = "profile.rekey.discard";
    public static final String LEVEL5_BIND = "profile.level5.bind";
    public static final String BACKUP_CREATE = "backup.create";
    public static final String BACKUP_RESTORE = "backup.restore";
    public static final String BACKUP_MERGE = "backup.merge";
    public static final String LEGACY_RECALL = "legacy.recall";
    public static final String LEGACY_IMPORT = "legacy.import";
    public static final String LEVEL5_SLOT_REMOVE = "profile.level5.slot.remove";
    public static final String PRINCIPAL_ADD = "principal.add";
    public static final String PRINCIPAL_ROTATE = "principal.rotate";
    public static final String PRINCIPAL_REMOVE = "principal.remove";
    public static final String PRINCIPAL_REFUSED = "principal.refused";
    public static final String OWNER_SEAL = "owner.seal";
    public static final String OWNER_RESEAL = "owner.reseal";
    public static final String TOKEN_ENROLL = "token.enroll";
    public static final String TOKEN_REMOVE = "token.remove";
    public static final String TOKEN_USE = "token.use";

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        TreeMap<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = Objects.requireNonNull(e.getValue(), e.getKey());
            if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Boolean)) {
                throw new IllegalArgumentException("audit field " + e.getKey() + " must be a string, number or boolean");
            }
            copy.put(e.getKey(), v instanceof Integer i ? Long.valueOf(i) : v);
        }
        fields = Collections.unmodifiableSortedMap(copy);
    }

    /** Starts an event; add fields with {@link #with(String, Object)}. */
    public static AuditEvent of(String type, Instant at) { return new AuditEvent(type, at, Map.of()); }

    public AuditEvent with(String key, Object value) {
        TreeMap<String, Object> copy = new TreeMap<>(fields);
        copy.put(key, value);
        return new AuditEvent(type, at, copy);
    }
}
