package org.memoryvault.domain.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;

/**
 * An owner seal (docs/FORMAT.md §12): a statement of the state only owner ceremonies set, signed
 * with an Ed25519 key that only the owner key derives. The statement binds the audit log at the
 * ceremony (its size and root: an owner cosignature of that tree) and digests of the owner-set
 * rows, so a row edited outside the vault no longer matches the newest seal, a log rewritten
 * below it no longer has that root, and a {@code vault.db} older than a copy of the seal kept
 * elsewhere (the witness) is caught.
 *
 * <p>{@link #body()} is the exact signed text; {@link Statement#text()} of its parse is the same text.
 */
public final class OwnerSeal {
    private static final HexFormat HEX = HexFormat.of();
    static final String MAGIC = "memory-vault owner seal v1";
    /** The largest seq and audit size a statement may carry (so a next seq never overflows). */
    public static final long MAX_SEQ = 1L << 53;

    private final String body;
    private final byte[] publicKey;
    private final byte[] signature;

    public OwnerSeal(String body, byte[] publicKey, byte[] signature) {
        this.body = Objects.requireNonNull(body, "body");
        this.publicKey = publicKey.clone();
        this.signature = signature.clone();
    }

    /** The exact signed statement text. */
    public String body() { return body; }

    /** The owner's Ed25519 seal public key (32 bytes). */
    public byte[] publicKey() { return publicKey.clone(); }

    /** The Ed25519 signature of the body's UTF-8 bytes (64 bytes). */
    public byte[] signature() { return signature.clone(); }

    /** The parsed statement; a malformed body is {@code INTEGRITY_TAMPERED}. */
    public Statement statement() { return Statement.parse(body); }

    /** The seal as one text: the body, then its public key and signature in hex (the witness file's content). */
    public String text() {
        return body + "public-key " + HEX.formatHex(publicKey) + "\nsignature " + HEX.formatHex(signature) + "\n";
    }

    /** Parses {@link #text()}; anything else is {@code INTEGRITY_TAMPERED}. */
    public static OwnerSeal parse(String text) {
        int sig = text.lastIndexOf("public-key ");
        String[] tail = sig < 0 ? new String[0] : text.substring(sig).split("\n", -1);
        if (tail.length != 3 || !tail[0].startsWith("public-key ") || !tail[1].startsWith("signature ") || !tail[2].isEmpty()) {
            throw malformed("it does not end with its public key and signature");
        }
        try {
            OwnerSeal seal = new OwnerSeal(text.substring(0, sig), HEX.parseHex(tail[0].substring(11)), HEX.parseHex(tail[1].substring(10)));
            if (seal.publicKey.length != 32 || seal.signature.length != 64) throw malformed("a key or signature has the wrong length");
            seal.statement();
            return seal;
        } catch (IllegalArgumentException e) {
            throw malformed("a key or signature is not hex");
        }
    }

    @Override public boolean equals(@org.jspecify.annotations.Nullable Object o) {
        return o instanceof OwnerSeal s && body.equals(s.body) && Arrays.equals(publicKey, s.publicKey) && Arrays.equals(signature, s.signature);
    }

    @Override public int hashCode() { return body.hashCode(); }

    @Override public String toString() { return "OwnerSeal[" + body.replace('\n', ';') + "]"; }

    /**
     * What a seal states. Digests are lower-case hex SHA-256 (FORMAT.md §12 says over which rows).
     *
     * @param seq        1 for the first seal, +1 for each next one
     * @param atMillis   when it was signed
     * @param auditSize  the audit log's size when it was signed
     * @param auditRoot  the audit tree's root hash at that size (hex)
     * @param lockdown   whether the vault was in lockdown when the owner signed
     * @param counter    empty, or the rollback counter's name and the value it reaches with this seal
     *                   ({@code tpm-nv:0x01500016 42}; FORMAT.md §12)
     */
    public record Statement(String vaultId, long seq, long atMillis, ProfileId profile, long auditSize, String auditRoot,
                            boolean lockdown, StateDigests state, String settings, String counter) {
        private static final java.util.regex.Pattern COUNTER = java.util.regex.Pattern.compile("[a-z0-9-]+:0x[0-9a-f]{8} (0|[1-9][0-9]{0,18})");

        /** A statement without a rollback counter. */
        public Statement(String vaultId, long seq, long atMillis, ProfileId profile, long auditSize, String auditRoot, boolean lockdown,
                         StateDigests state, String settings) {
            this(vaultId, seq, atMillis, profile, auditSize, auditRoot, lockdown, state, settings, "");
        }

        public Statement {
            Objects.requireNonNull(counter, "counter");
            if (!counter.isEmpty() && !COUNTER.matcher(counter).matches()) throw new IllegalArgumentException("counter is NAME VALUE");
            Objects.requireNonNull(vaultId, "vaultId");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(auditRoot, "auditRoot");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(settings, "settings");
            if (seq < 1 || seq > MAX_SEQ || auditSize < 0 || auditSize > MAX_SEQ) {
                throw new IllegalArgumentException("seq in 1..2^53, audit size in 0..2^53");
            }
        }

        public String text() {
            return MAGIC + "\nvault " + vaultId + "\nseq " + seq + "\nat " + atMillis + "\nprofile " + profile.value()
                    + "\naudit " + auditSize + " " + auditRoot + "\nlockdown " + (lockdown ? "active" : "open")
                    + "\napprovals " + state.approvals() + "\nprincipals " + state.principals() + "\nprofile-keys " + state.profileKeys()
                    + "\ntombstones " + state.tombstones() + "\nsettings " + settings + "\n"
                    + (counter.isEmpty() ? "" : "counter " + counter + "\n");
        }

        /** The rollback counter's name, if this seal is anchored to one. */
        public Optional<String> counterName() {
            return counter.isEmpty() ? Optional.empty() : Optional.of(counter.substring(0, counter.indexOf(' ')));
        }

        /** The value the rollback counter reaches with this seal, if it is anchored to one. */
        public java.util.OptionalLong counterValue() {
            return counter.isEmpty() ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(Long.parseLong(counter.substring(counter.indexOf(' ') + 1)));
        }

        /** The names of what differs between this statement's digests and {@code now} (empty when all match). */
        public List<String> differences(StateDigests now, String settingsNow) {
            List<String> out = new ArrayList<>();
            if (!state.approvals().equals(now.approvals())) out.add("decided approvals");
            if (!state.principals().equals(now.principals())) out.add("principals or presence tokens");
            if (!state.profileKeys().equals(now.profileKeys())) out.add("the owner profile's key slots, public keys or level-5 device binding");
            if (!state.tombstones().equals(now.tombstones())) out.add("tombstones");
            if (!settings.equals(settingsNow)) out.add("settings (config.toml)");
            return out;
        }

        static Statement parse(String body) {
            String[] l = body.split("\n", -1);
            boolean anchored = l.length == 14;
            if ((l.length != 13 && !anchored) || !l[0].equals(MAGIC) || !l[l.length - 1].isEmpty()) throw malformed("it is not a v1 owner seal");
            try {
                String[] audit = value(l[5], "audit").split(" ", -1);
                if (audit.length != 2) throw malformed("bad audit line");
                String lockdown = value(l[6], "lockdown");
                if (!lockdown.equals("active") && !lockdown.equals("open")) throw malformed("bad lockdown line");
                Statement s = new Statement(value(l[1], "vault"), Long.parseLong(value(l[2], "seq")), Long.parseLong(value(l[3], "at")),
                        ProfileId.of(value(l[4], "profile")), Long.parseLong(audit[0]), audit[1], lockdown.equals("active"),
                        new StateDigests(value(l[7], "approvals"), value(l[8], "principals"), value(l[9], "profile-keys"),
                                value(l[10], "tombstones")), value(l[11], "settings"), anchored ? value(l[12], "counter") : "");
                if (!s.text().equals(body)) throw malformed("it is not in canonical form");
                return s;
            } catch (IllegalArgumentException | org.memoryvault.domain.error.InvalidInputException e) {
                throw malformed("a field is malformed");
            }
        }

        private static String value(String line, String name) {
            if (!line.startsWith(name + " ")) throw malformed("expected the " + name + " line");
            return line.substring(name.length() + 1);
        }
    }

    /** Digests of the owner-set rows of the owner's profile, as stored (FORMAT.md §12). */
    public record StateDigests(String approvals, String principals, String profileKeys, String tombstones) {
        public StateDigests {
            for (String d : new String[] {approvals, principals, profileKeys, tombstones}) {
                if (d == null || !d.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("a digest is 64 lower-case hex digits");
            }
        }
    }

    private static IntegrityException malformed(String why) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "an owner seal is malformed (" + why + ")", null);
    }
}
